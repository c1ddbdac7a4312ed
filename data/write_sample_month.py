"""Writes data/sample-month.jsonl: thirty days in the group chats of two communities
of 和平街道 (吉利社区 and 文化里社区), 2026-09-28 to 2026-10-27, for `griddesk replay`.

    python data/write_sample_month.py > data/sample-month.jsonl

Every message is written by hand below; the script only adds dates, line ids and
ticket codes. The month has ordinary working days, 国庆节 (10月1日–7日, a public
holiday), the 调休 Saturday 10月10日 (a working day), and ordinary weekends — as
the `chinesecalendar` package has them.

Who is who (config.yaml): 吉利社区 — 王芳 (第一网格: 1–4号楼, answers at once),
刘洋 (第二网格: 5–8号楼, often late; 王芳 is his backup), 陈静 (第三网格: 9–12号楼,
on leave all month; 李娜 stands in), 张伟 (grid leader), 李红梅 (community leader).
文化里社区 — 赵敏 (第一网格: 1–5号楼), 孙强 (第二网格: 6–9号楼), 周丽 (grid
leader), 吴建国 (community leader). 郑国强 leads the street. Everyone else is a
resident, a volunteer or the property company.

``expect`` says what a line is meant to be, for readers and for
tests/test_replay_month.py (the replay ignores it): ticket / emergency (opens one),
co-report (joins an open ticket), card (the bot is unsure and asks a worker), chat
(no ticket), rate:satisfied / rate:basically / rate:dissatisfied, and for staff
corrections 立案 / 忽略 / 误报 / 不是诉求 / 改类别 / 改紧急程度 / 改位置 / 合并.
``late: "ack"`` marks a request whose worker will miss the acknowledgement
deadline, ``late: "fix"`` one that will not be fixed in time, ``late: "open"`` one
still not fixed when the month ends; ``redone`` a 不满意
after which the worker fixes it again and the resident rates anew.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any

YEAR = 2026
CHATS = {"3": "jl-3", "6": "jl-6", "w2": "wh-grid-2", "js": "jl-staff", "wx6": "文化里6号楼邻居群"}
OPENS = {"ticket", "emergency", "立案"}


@dataclass
class Month:
    lines: list[dict[str, Any]] = field(default_factory=list)
    day: str = ""

    def on(self, day: str) -> None:
        self.day = day

    def _add(self, hm: str, record: dict[str, Any], *, id: str | None, to: str | None, expect: str | None,
             late: str | None, kind: str | None, redone: bool = False) -> None:
        line: dict[str, Any] = {"at": f"{YEAR}-{self.day}T{hm}:00+08:00", **record}
        if id:
            line["id"] = id
        if to:
            line["reply_to"] = to
        if kind:
            line["kind"] = kind
        if expect:
            line["expect"] = expect
        if late:
            line["late"] = late
        if redone:
            line["redone"] = True
        self.lines.append(line)

    def g(self, hm: str, chat: str, who: str, text: str, *, id: str | None = None, to: str | None = None,
          expect: str | None = None, late: str | None = None, kind: str | None = None,
          redone: bool = False) -> None:
        """Someone writes in a group."""
        record: dict[str, Any] = {"chat": CHATS[chat], "from": who, "text": text}
        if chat == "wx6":
            record = {"platform": "wechat", **record}
        self._add(hm, record, id=id, to=to, expect=expect, late=late, kind=kind, redone=redone)

    def p(self, hm: str, who: str, text: str, *, id: str | None = None, to: str | None = None,
          expect: str | None = None, late: str | None = None, wechat: bool = False) -> None:
        """Someone writes to the bot privately (a worker answering a notification)."""
        record: dict[str, Any] = {"from": who, "text": text, "private": True}
        if wechat:
            record = {"platform": "wechat", **record}
        self._add(hm, record, id=id, to=to, expect=expect, late=late, kind=None)

    def written(self) -> list[str]:
        """Lines in time order, with {code:id} replaced by the ticket code that line opens."""
        ordered = sorted(self.lines, key=lambda line: line["at"])
        codes: dict[str, str] = {}
        for line in ordered:
            if line.get("expect") in OPENS:
                codes[line.get("id") or line["at"]] = f"#{len(codes) + 1:04d}"
        out = []
        for line in ordered:
            line["text"] = re.sub(r"\{code:([\w-]+)\}", lambda m: codes[m.group(1)], line["text"])
            out.append(json.dumps(line, ensure_ascii=False))
        return out


m = Month()
g, p = m.g, m.p

# ── 9月28日 周一:节前最后一周,大家还在聊中秋 ───────────────────────────────────
m.on("09-28")
g("07:40", "3", "张阿姨", "早上好各位邻居☀️ 中秋剩的月饼谁家要 我家还有两盒五仁的", expect="chat")
g("07:46", "3", "王大妈", "哈哈五仁的留着自己吃吧", expect="chat")
g("08:12", "3", "李大爷", "3号楼2单元楼道灯坏了好几天了 晚上下楼黑乎乎的", id="d1-light", expect="ticket")
g("08:15", "3", "赵叔", "我家也是 2单元晚上全黑", expect="co-report")
p("08:21", "王芳", "收到 上午就去换", to="d1-light")
g("08:30", "6", "韩姐", "各位邻居 这周六6号楼组织大扫除 有空的来帮帮忙", id="d1-cleanup", expect="card")
g("08:52", "w2", "陈姐", "7号楼下水道堵了 污水都漫到院子里了 臭得不行", id="d1-drain", expect="ticket")
p("09:02", "孙强", "收到 马上联系物业", to="d1-drain")
g("09:10", "6", "周叔", "6号楼门口的路灯不亮了 晚上黑乎乎的", id="d1-lamp", expect="ticket")
g("09:35", "3", "孙阿姨", "有谁知道社区医院周末开门吗", expect="chat")
g("10:05", "w2", "许阿姨", "我想问问老年卡在哪办", id="d1-card", expect="ticket")
p("10:12", "孙强", "已解决 带身份证和一寸照片去社区服务中心办就行", to="d1-card")
p("10:40", "王芳", "灯换好了 2单元换了新灯泡", to="d1-light")
g("10:43", "3", "李大爷", "满意 谢谢王芳", expect="rate:satisfied")
g("11:20", "w2", "许阿姨", "1", expect="rate:satisfied")
p("12:15", "刘洋", "收到 下午让电工来看看", to="d1-lamp")
p("12:20", "刘洋", "忽略", to="d1-cleanup", expect="忽略")
g("14:30", "w2", "陈姐", "物业来了 正在掏", expect="chat")
p("15:50", "孙强", "通了 是被塑料袋堵的", to="d1-drain")
p("15:51", "孙强", "1")
g("16:05", "w2", "陈姐", "基本满意", expect="rate:basically")
g("18:40", "6", "黄阿姨", "今天降温了 老人注意保暖", expect="chat")
g("19:20", "3", "马姐", "谁家的快递放错了 在3号楼门口放着呢", expect="chat")
g("20:10", "6", "小郭", "👍👍", expect="chat")

g("07:05", "w2", "老高", "早上好 今天天气不错", expect="chat")
g("09:50", "js", "张伟", "今天下午三点开网格例会", expect="chat")
g("11:45", "3", "郑老师", "中午谁家炖肉 好香😂", expect="chat")
g("13:30", "wx6", "唐奶奶", "6号楼单元门口的台阶碎了一块 我差点绊倒", id="d1-step", expect="ticket")
p("13:40", "孙强", "收到 让物业来补", to="d1-step", wechat=True)
p("16:20", "孙强", "台阶补好了", to="d1-step", wechat=True)
g("16:30", "wx6", "唐奶奶", "满意 谢谢", expect="rate:satisfied")
g("17:30", "6", "小郭", "谁家有打气筒 借用一下", expect="chat")
g("21:00", "w2", "蒋姐", "晚安各位", expect="chat")
g("11:10", "6", "物业小陈", "物业通知:本月物业费可以在手机上交了 扫公告栏的二维码", expect="chat")
g("11:30", "w2", "许阿姨", "8号楼的单元门关不上 锁坏了", id="d1-lock8", expect="ticket")
p("11:40", "孙强", "收到", to="d1-lock8")
p("17:10", "孙强", "门锁换好了", to="d1-lock8")
g("17:20", "w2", "许阿姨", "满意", expect="rate:satisfied")
g("07:20", "3", "钱叔", "早上好 今天有雨", expect="chat")
# ── 9月29日 周二 ──────────────────────────────────────────────────────────
m.on("09-29")
g("07:15", "3", "周奶奶", "楼顶漏水了 我家天花板一直往下滴 都发霉了 我电话13912345678", id="d2-roof", expect="ticket", late="fix")
p("07:50", "王芳", "收到 我上午去看看", to="d2-roof")
g("08:05", "3", "钱叔", "快来人 3号楼2单元401的李大爷摔倒了 起不来", id="d2-fall", expect="emergency")
p("08:06", "王芳", "收到 马上到", to="d2-fall")
g("08:07", "3", "张阿姨", "我已经打120了", id="d2-called", expect="chat")  # a follow-up to the fall above
g("08:40", "6", "刘阿姨", "6号楼电梯又停了 老人上不去", id="d2-lift", expect="ticket")
g("08:44", "6", "宋奶奶", "我家也是 腿不好下不了楼", expect="co-report")
g("08:50", "6", "何大爷", "+1", expect="co-report")
p("08:52", "王芳", "老人已经送医了 家属也到了", to="d2-fall")
g("09:05", "6", "杨师傅", "@刘洋 电梯那事怎么样了", expect="chat")
g("09:30", "3", "钱叔", "满意 谢谢王芳 来得真快", expect="rate:satisfied")
g("10:20", "w2", "老高", "锅炉房那边晚上有人喝酒吵架", id="d2-noise", expect="ticket")
p("10:31", "孙强", "收到 晚上我跟保安去看看", to="d2-noise")
p("11:00", "刘洋", "好的 我联系电梯公司", to="d2-lift")
p("11:02", "王芳", "去看了 楼顶防水层裂了 要找物业报维修基金", to="d2-roof")
p("11:03", "王芳", "4")
g("13:40", "6", "黄阿姨", "等着呢", expect="chat")
p("14:10", "刘洋", "电梯修好了 是门机坏了 已换", to="d2-lift")
g("14:12", "6", "刘阿姨", "满意", expect="rate:satisfied")
g("14:20", "6", "宋奶奶", "谢谢 终于能下楼了", expect="chat")
g("15:00", "6", "周叔", "有人来看了吗", expect="chat")
p("16:30", "刘洋", "路灯换好了", to="d1-lamp")
g("17:02", "6", "周叔", "2", expect="rate:basically")
g("21:30", "w2", "老高", "今晚没人喝酒了 清净", expect="chat")

g("10:00", "w2", "罗叔", "1号楼楼下的垃圾桶盖子坏了 臭味出来了", id="d2-bin1", expect="ticket")
p("10:15", "赵敏", "收到", to="d2-bin1")
p("14:30", "赵敏", "垃圾桶换了个新的", to="d2-bin1")
g("14:40", "w2", "罗叔", "1", expect="rate:satisfied")
g("16:00", "3", "马姐", "团购的苹果到了 在3号楼门口 自己来拿", expect="chat")
g("19:30", "wx6", "小潘", "有人知道附近哪里修自行车吗", expect="chat")
g("17:40", "w2", "志愿者小吴", "明天上午社区组织垃圾分类宣传 欢迎大家来", expect="chat")
g("12:10", "3", "马姐", "今天菜市场的白菜真便宜", expect="chat")
# ── 9月30日 周三:节前检查 ───────────────────────────────────────────────────
m.on("09-30")
g("07:55", "3", "小刘", "楼下那几辆共享单车把单元门口堵了 轮椅推不出去", id="d3-bikes", expect="ticket")
p("08:02", "王芳", "收到 我联系单车公司", to="d3-bikes")
g("08:30", "js", "李红梅", "明天开始放假 值班表发群里了 大家手机保持畅通", expect="chat")
g("08:31", "js", "王芳", "收到", expect="chat")
g("08:32", "js", "刘洋", "收到", expect="chat")
g("09:10", "6", "林姐", "有人在6号楼楼道里给电瓶车充电", id="d3-charge", expect="ticket", late="ack")
g("09:40", "w2", "冯大爷", "东门那边的健身器材坏了 有个踏板掉了", id="d3-gym", expect="ticket")
p("09:55", "孙强", "这个是一网格的 转赵敏", to="d3-gym")
p("10:20", "赵敏", "收到 下午去看", to="d3-gym")
p("10:50", "王芳", "共享单车已经让公司拉走了", to="d3-bikes")
g("10:55", "3", "小刘", "满意 谢谢", expect="rate:satisfied")
p("11:30", "孙强", "已处理 跟保安说好了 晚上加强巡逻", to="d2-noise")
g("11:40", "w2", "老高", "满意", expect="rate:satisfied")
g("13:20", "6", "杨师傅", "好的 等你们", expect="chat")
p("14:40", "赵敏", "踏板装上了", to="d3-gym")
g("15:10", "3", "王大妈", "明天国庆了 祝大家节日快乐🇨🇳", expect="chat")
g("15:12", "3", "张阿姨", "节日快乐", expect="chat")
p("15:30", "王芳", "收到 这个我先接了", to="d3-charge")
g("16:20", "6", "林姐", "王芳来了 车推走了 谢谢", expect="chat")
p("16:25", "王芳", "已处理 车已经挪走了 跟车主也说了", to="d3-charge")
g("16:40", "6", "林姐", "1", expect="rate:satisfied")
g("19:30", "w2", "冯大爷", "满意", expect="rate:satisfied")

g("10:10", "6", "曹大爷", "我是9号楼的 单元门口的灯不亮", id="d3-light9", expect="ticket")
p("10:20", "李娜", "收到", to="d3-light9")
p("15:00", "李娜", "灯换好了", to="d3-light9")
g("15:20", "6", "曹大爷", "满意", expect="rate:satisfied")
g("17:50", "js", "李红梅", "节日期间大家注意安全 有紧急情况第一时间报告", expect="chat")
g("11:50", "3", "物业小陈", "物业提醒:国庆期间物业24小时有人值班 电话在公告栏", expect="chat")
g("20:20", "wx6", "苏姐", "大家国庆都去哪玩", expect="chat")
# ── 10月1日 周四:国庆节 ────────────────────────────────────────────────────
m.on("10-01")
g("07:30", "3", "王芳", "大家好 国庆期间社区每天都有人值班 有事在群里说就行", expect="chat")
g("07:45", "3", "郑老师", "辛苦了👍", expect="chat")
g("08:20", "6", "韩姐", "国庆快乐 大家出去玩注意安全", expect="chat")
g("09:15", "w2", "蒋姐", "墙上又被人贴了好多小广告 东门这边", id="d4-ads", expect="ticket")
g("10:30", "3", "吴师傅", "谁家装修 放假还天天早上七点就开始砸墙", id="d4-reno", expect="ticket")
p("10:41", "王芳", "收到 我问问是哪家", to="d4-reno")
g("11:00", "6", "小郭", "出去玩的注意看好家门", expect="chat")
p("14:05", "孙强", "收到 节后让保洁来铲", to="d4-ads")
g("18:30", "w2", "沈老师", "今天小区里人好少 都出去玩了", expect="chat")
g("20:10", "3", "马姐", "楼下烧烤的味道好香😂", expect="chat")

g("08:00", "w2", "沈老师", "国庆快乐🇨🇳", expect="chat")
g("12:10", "wx6", "曾阿姨", "祖国生日快乐", expect="chat")
g("16:30", "6", "宋奶奶", "今天小区里好安静", expect="chat")
g("10:20", "6", "林姐", "带孩子看升旗了 人山人海", expect="chat")
g("12:30", "3", "王大妈", "祝大家国庆快乐", expect="chat")
# ── 10月2日 周五:国庆 ─────────────────────────────────────────────────────
m.on("10-02")
g("08:10", "3", "吴师傅", "放假了还这么早 哎", expect="chat")
p("09:20", "王芳", "装修那家我去说了 答应早上九点以后再干", to="d4-reno")
p("09:21", "王芳", "1")
g("10:15", "6", "黄阿姨", "暖气片在漏水 地上都是水", id="d5-radiator", expect="ticket")
p("10:25", "刘洋", "收到", to="d5-radiator")
g("12:30", "w2", "邓师傅", "谁家孩子的自行车扔在楼道里 挡路了", id="d5-bike", expect="card")
p("13:05", "孙强", "立案 消防", to="d5-bike", expect="立案")
p("13:06", "孙强", "收到 我去看看是谁家的", to="d5-bike")
p("16:30", "孙强", "已处理 车已经挪走了 跟车主也说了", to="d5-bike")
p("14:00", "刘洋", "暖气片换了个阀门 不漏了", to="d5-radiator")
g("14:10", "6", "黄阿姨", "满意 辛苦了 放假还来修", expect="rate:satisfied")
g("19:40", "w2", "许阿姨", "8号楼楼道里一股煤气味 好浓", id="d5-gas", expect="emergency")
p("19:42", "孙强", "收到 马上到", to="d5-gas")
g("19:45", "w2", "邓师傅", "+1 我也闻到了", expect="co-report")
p("20:10", "孙强", "误报 是楼下饭馆排风的油烟味", to="d5-gas", expect="误报")
g("20:15", "w2", "许阿姨", "吓死我了 没事就好", expect="chat")
g("21:00", "3", "吴师傅", "满意", expect="rate:satisfied")

g("15:00", "wx6", "苏姐", "国庆出去玩的人真多 高速堵死了", expect="chat")
g("15:30", "6", "何大爷", "今天下午小广场有人下棋 一起来", expect="chat")
g("17:10", "w2", "沈老师", "明天有没有人去超市 帮我带点菜", expect="chat")
g("07:50", "w2", "冯大爷", "今天早上雾好大", expect="chat")
# ── 10月3日 周六:国庆,夜里水管爆了 ───────────────────────────────────────────
m.on("10-03")
g("09:30", "3", "郑老师", "今天天气真好 孩子们都在楼下玩", expect="chat")
g("10:40", "wx6", "曾阿姨", "6号楼单元门的门禁坏了 刷卡开不了", id="d6-door", expect="ticket")
p("10:52", "孙强", "收到 我过去看看", to="d6-door", wechat=True)
g("11:30", "wx6", "谢大爷", "门开着呢 先别关", expect="chat")
p("15:20", "孙强", "去看过了 门禁换了个读卡器 好了", to="d6-door", wechat=True)
g("15:25", "wx6", "曾阿姨", "1", expect="rate:satisfied")
g("16:00", "6", "何大爷", "小区南门的栏杆坏了 车一直往里开", id="d6-gate", expect="ticket")
g("23:10", "w2", "冯大爷", "8号楼水管爆了 水从楼上往下流 快来人关阀门", id="d6-pipe", expect="ticket", late="ack")
g("23:14", "w2", "蒋姐", "我家也进水了", expect="co-report")
g("23:20", "w2", "冯大爷", "有没有人啊 水越来越大了", id="d6-more", expect="co-report")  # adds to his own pipe

g("20:30", "6", "韩姐", "明天楼下有人卖菜 新鲜的", expect="chat")
g("14:00", "w2", "老高", "国庆小区里真安静", expect="chat")
# ── 10月4日 周日:国庆 ─────────────────────────────────────────────────────
m.on("10-04")
p("07:05", "孙强", "刚看到 我这就去", to="d6-pipe")
g("07:30", "w2", "冯大爷", "昨晚自己把总阀关了 楼道里全是水", expect="card")  # unsure: a worker looks
p("09:40", "孙强", "修好了 换了个新阀门", to="d6-pipe")
g("09:50", "w2", "冯大爷", "不满意 昨晚等了一宿没人来", expect="rate:dissatisfied", redone=True)
p("10:30", "孙强", "楼道的水也拖干净了 夜里手机静音了没看到 对不起大家", to="d6-pipe")
g("10:35", "w2", "冯大爷", "2", expect="rate:basically")
g("11:00", "6", "杨师傅", "南门栏杆还是坏的", expect="co-report")
g("15:30", "3", "张阿姨", "放假人少 垃圾站那边好几天没清了 味道太大了", id="d7-trash", expect="ticket")
p("15:41", "王芳", "收到 让保洁明天一早清", to="d7-trash")
g("20:00", "w2", "沈老师", "今晚月亮真圆", expect="chat")

g("12:00", "3", "郑老师", "国庆第四天了 时间过得真快", expect="chat")
g("13:00", "6", "彭阿姨", "我是11号楼的 楼上漏水 我家卫生间顶上一直滴", id="d7-leak11", expect="ticket")
p("13:20", "李娜", "收到 我下午去看", to="d7-leak11")
p("13:21", "李娜", "类别 给排水", to="d7-leak11", expect="改类别")
p("17:00", "李娜", "楼上漏水找到原因了 是楼上卫生间防水坏了 已经修了", to="d7-leak11")
g("19:00", "wx6", "小潘", "今天去爬山了 腿疼", expect="chat")
# ── 10月5日 周一:国庆 ─────────────────────────────────────────────────────
m.on("10-05")
p("08:10", "王芳", "清理完了 垃圾都拉走了", to="d7-trash")
g("08:30", "3", "张阿姨", "1", expect="rate:satisfied")
g("09:00", "6", "宋奶奶", "我是10号楼的 楼道灯全坏了 晚上不敢出门", id="d8-light10", expect="ticket")
p("09:20", "李娜", "收到 我是替陈静的李娜 下午过去", to="d8-light10")
p("15:10", "李娜", "灯修好了 换了感应开关", to="d8-light10")
g("15:30", "6", "宋奶奶", "满意", expect="rate:satisfied")
g("16:00", "w2", "韦阿姨", "3号楼门口的下水道堵了 臭得不行", id="d8-drain3", expect="ticket")
p("16:20", "赵敏", "收到", to="d8-drain3")
g("19:00", "3", "马姐", "明天去哪玩 推荐一下", expect="chat")

g("10:30", "w2", "冯大爷", "有没有人一起钓鱼", expect="chat")
g("11:00", "wx6", "谢大爷", "楼下的车停得乱七八糟 消防车都进不来", id="d8-cars", expect="ticket")
p("11:15", "孙强", "收到", to="d8-cars", wechat=True)
p("16:00", "孙强", "已处理 车已经挪走了 跟车主也说了", to="d8-cars", wechat=True)
g("16:10", "wx6", "谢大爷", "满意", expect="rate:satisfied")
g("09:40", "3", "小刘", "有没有人拼车回老家", expect="chat")
g("13:10", "6", "小郭", "周一也放假 真好", expect="chat")
g("20:00", "6", "林姐", "今天晚上有球赛", expect="chat")
# ── 10月6日 周二:国庆 ─────────────────────────────────────────────────────
m.on("10-06")
p("09:30", "赵敏", "下水道通了 是被塑料袋堵的", to="d8-drain3")
g("09:40", "w2", "韦阿姨", "满意 谢谢赵敏", expect="rate:satisfied")
g("10:00", "wx6", "苏姐", "楼上漏水到我家了 卫生间顶上一直滴", id="d9-leak", expect="ticket")
p("10:14", "孙强", "收到 下午上楼看看", to="d9-leak", wechat=True)
g("13:00", "3", "小刘", "[图片]", kind="image", id="d9-photo", expect="card")
g("13:01", "3", "小刘", "楼下的花开了 好看吧", expect="chat")
p("13:10", "王芳", "忽略", to="d9-photo", expect="忽略")
p("16:45", "孙强", "楼上漏水找到原因了 是楼上卫生间防水坏了 已经修了", to="d9-leak", wechat=True)
g("17:00", "wx6", "苏姐", "满意", expect="rate:satisfied")
g("20:30", "6", "小郭", "明天最后一天假了😭", expect="chat")

g("08:30", "3", "王大妈", "今天还放假吧", expect="chat")
g("15:20", "6", "黄阿姨", "楼下的花坛被车压坏了", id="d9-bed", expect="ticket")
g("11:30", "w2", "沈老师", "下午带孙子去公园", expect="chat")
g("14:10", "w2", "韦阿姨", "4号楼楼道里的灭火器过期了", id="d9-extinguisher", expect="ticket")
p("14:30", "赵敏", "收到 节后换新的", to="d9-extinguisher")
# ── 10月7日 周三:国庆最后一天 ─────────────────────────────────────────────────
m.on("10-07")
g("09:10", "3", "孙阿姨", "楼道里堆的纸箱子太多了 着火了都跑不出去", id="d10-boxes", expect="emergency")
p("09:14", "王芳", "一般", to="d10-boxes", expect="改紧急程度")
p("09:15", "王芳", "收到 我去通知那家清走", to="d10-boxes")
g("10:00", "6", "何大爷", "@刘洋 栏杆那事怎么样了", expect="chat")
p("10:30", "刘洋", "栏杆修好了", to="d6-gate")
g("10:40", "6", "何大爷", "满意", expect="rate:satisfied")
p("14:20", "王芳", "纸箱都清走了 楼道通了", to="d10-boxes")
g("14:30", "3", "孙阿姨", "满意", expect="rate:satisfied")
g("18:00", "w2", "沈老师", "明天上班了 收收心", expect="chat")

g("10:00", "w2", "蒋姐", "假期最后一天 在家收拾屋子", expect="chat")
g("19:00", "wx6", "唐奶奶", "晚上楼道灯不亮 我不敢下楼", id="d10-stairs", expect="ticket")
g("20:00", "3", "张阿姨", "明天上班的注意早点出门", expect="chat")
g("20:30", "6", "黄阿姨", "假期吃胖了😂", expect="chat")
# ── 10月8日 周四:节后上班 ───────────────────────────────────────────────────
m.on("10-08")
g("08:00", "js", "李红梅", "今天节后第一天 大家把节日期间的单子过一遍", expect="chat")
g("08:40", "6", "刘阿姨", "6号楼电梯里的广告屏一直响 能不能关掉", id="d11-screen", expect="ticket", late="ack")
g("09:10", "3", "陈大姐", "2单元楼道的扶手松了 刚才张奶奶差点摔了", id="d11-rail", expect="ticket")
p("09:12", "王芳", "加急", to="d11-rail", expect="改紧急程度")
p("09:13", "王芳", "收到 马上找人来焊", to="d11-rail")
g("10:15", "w2", "蒋姐", "等着呢", expect="chat")
p("10:40", "孙强", "小广告都铲掉了", to="d4-ads")
g("10:50", "w2", "蒋姐", "1", expect="rate:satisfied")
p("11:30", "王芳", "扶手已经焊好了", to="d11-rail")
g("11:40", "3", "陈大姐", "满意 谢谢", expect="rate:satisfied")
g("14:00", "3", "物业小陈", "通知:明天上午物业来清洗二次供水水箱,9点到11点停水", expect="chat")
g("14:02", "3", "王大妈", "收到", expect="chat")
g("15:30", "6", "杨师傅", "@刘洋 广告屏那事怎么样了", expect="chat")
g("16:20", "wx6", "小潘", "6号楼外墙的瓷砖掉下来了 差点砸到人", id="d11-tile", expect="emergency", late="fix")
p("16:21", "孙强", "收到 马上到", to="d11-tile", wechat=True)
p("16:50", "孙强", "瓷砖掉落的地方已经拉了警戒线 物业在修", to="d11-tile", wechat=True)
g("17:00", "wx6", "唐奶奶", "吓死了 以后走路靠边", expect="chat")
g("19:30", "w2", "沈老师", "今晚有点冷", expect="chat")

g("07:30", "w2", "老高", "上班第一天 堵车", expect="chat")
p("08:40", "孙强", "收到 上午去换", to="d10-stairs", wechat=True)
p("09:00", "刘洋", "收到", to="d9-bed")
g("09:30", "3", "周奶奶", "{code:d2-roof} 进度", expect="chat")
p("10:30", "孙强", "灯修好了 换了感应开关", to="d10-stairs", wechat=True)
g("10:40", "wx6", "唐奶奶", "满意 谢谢", expect="rate:satisfied")
g("11:00", "6", "彭阿姨", "2", expect="rate:basically")
g("13:40", "js", "王芳", "张书记 3号楼楼顶的维修基金申请表我放您桌上了", expect="chat")
g("13:00", "6", "物业小陈", "物业通知:6号楼电梯本周五下午例行保养 暂停使用两小时", expect="chat")
g("08:10", "w2", "蒋姐", "节后第一天 大家加油", expect="chat")
g("18:30", "3", "孙阿姨", "楼下新开了一家早点铺 油条不错", expect="chat")
# ── 10月9日 周五 ──────────────────────────────────────────────────────────
m.on("10-09")
g("08:15", "6", "刘阿姨", "有人来看了吗", expect="chat")
p("09:50", "王芳", "收到 这个单子我先接了", to="d11-screen")
p("10:30", "孙强", "外墙瓷砖修好了", to="d11-tile", wechat=True)
g("10:40", "wx6", "小潘", "1", expect="rate:satisfied")
p("11:05", "王芳", "已处理 广告屏已经关掉了", to="d11-screen")
g("11:20", "6", "刘阿姨", "基本满意", expect="rate:basically")
g("14:00", "w2", "邓师傅", "低保年审要带什么材料啊", id="d12-dibao", expect="ticket")
p("14:15", "孙强", "已解决 带户口本、身份证和收入证明到社区服务中心", to="d12-dibao")
g("14:20", "w2", "邓师傅", "满意 谢谢", expect="rate:satisfied")
g("15:20", "6", "杨师傅", "电梯里有人被困住了 喊不应 快来人", id="d12-trapped", expect="emergency", late="ack")
g("15:22", "6", "林姐", "打了救援电话了", expect="chat")
p("15:28", "王芳", "收到 我替刘洋先过去", to="d12-trapped")
p("15:35", "刘洋", "刚才在开会 没看到 电梯公司已经到了", to="d12-trapped")
p("15:58", "王芳", "人出来了 没受伤 电梯公司在修", to="d12-trapped")
p("16:40", "刘洋", "电梯修好了 是门机坏了 已换", to="d12-trapped")
g("16:45", "6", "杨师傅", "满意 谢谢王芳", expect="rate:satisfied")
g("17:10", "js", "张伟", "刘洋 开会也要看手机 紧急的单子五分钟内要回", expect="chat")
g("17:12", "js", "刘洋", "好的 明白", expect="chat")

g("09:00", "3", "钱叔", "今天好冷", expect="chat")
p("10:00", "刘洋", "花坛修好了 补种了花", to="d9-bed")
g("10:20", "6", "黄阿姨", "满意", expect="rate:satisfied")
g("13:00", "6", "田叔", "我是12号楼的 楼道里堆满了杂物 过不去人", id="d12-junk", expect="ticket")
p("13:10", "李娜", "收到", to="d12-junk")
p("16:30", "李娜", "清理完了 杂物都搬走了", to="d12-junk")
g("16:40", "6", "田叔", "满意", expect="rate:satisfied")
g("12:00", "wx6", "苏姐", "周五了 真快", expect="chat")
p("15:00", "赵敏", "灭火器换新的了", to="d9-extinguisher")
g("15:30", "w2", "韦阿姨", "满意", expect="rate:satisfied")
g("19:40", "6", "小郭", "我家孩子考试考了第一 哈哈", expect="chat")
# ── 10月10日 周六:调休上班 ───────────────────────────────────────────────────
m.on("10-10")
g("08:20", "3", "郑老师", "今天调休上班 大家别忘了", expect="chat")
g("08:25", "3", "王芳", "今天社区有人值班 有事说", expect="chat")
g("09:00", "3", "郑老师", "家里水管往外渗水 地上湿了一片", id="d13-seep", expect="ticket")
p("09:05", "王芳", "收到", to="d13-seep")
g("09:40", "w2", "罗叔", "2号楼的楼道窗户玻璃碎了 风一吹哗哗响", id="d13-window", expect="ticket")
p("09:52", "赵敏", "收到 让物业量尺寸", to="d13-window")
g("10:30", "6", "韩姐", "我是11号楼的 楼下的下水井盖没了 太危险了", id="d13-manhole", expect="ticket")
p("10:45", "李娜", "收到 马上去", to="d13-manhole")
p("11:40", "李娜", "井盖补上了", to="d13-manhole")
g("11:50", "6", "韩姐", "1", expect="rate:satisfied")
p("15:00", "王芳", "水管修好了 阀门换了", to="d13-seep")
g("15:30", "6", "黄阿姨", "那个东西好像坏了", id="d13-vague", expect="card")
p("15:50", "刘洋", "忽略", to="d13-vague", expect="忽略")
g("16:00", "w2", "沈老师", "调休真累", expect="chat")

g("10:00", "w2", "沈老师", "今天调休 孩子还得上学", expect="chat")
g("11:00", "wx6", "苏姐", "调休上班好累", expect="chat")
g("14:00", "js", "刘洋", "张书记 下周一的会几点", expect="chat")
g("14:10", "js", "张伟", "上午九点", expect="chat")
g("12:20", "3", "马姐", "周六还上班的举手🙋", expect="chat")
g("18:10", "6", "黄阿姨", "今天的晚霞真好看", expect="chat")
# ── 10月11日 周日 ─────────────────────────────────────────────────────────
m.on("10-11")
g("09:00", "3", "马姐", "周末愉快", expect="chat")
g("10:20", "3", "吴师傅", "[语音]", kind="voice", id="d14-voice", expect="card")
p("10:45", "王芳", "立案 给排水", to="d14-voice", expect="立案")
p("10:46", "王芳", "收到 我下午去", to="d14-voice")
g("14:30", "w2", "许阿姨", "晚上回来太黑了", id="d14-dark", expect="card")
p("16:10", "王芳", "楼上往下滴水的事修好了 是楼上阀门坏了", to="d14-voice")
g("16:20", "3", "吴师傅", "满意", expect="rate:satisfied")
g("19:00", "6", "小郭", "明天又周一了", expect="chat")

g("11:30", "6", "小郭", "周日睡懒觉真好", expect="chat")
g("16:00", "3", "郑老师", "有人明天一起晨练吗", expect="chat")
g("08:00", "w2", "邓师傅", "周日下雨了 出门带伞", expect="chat")
# ── 10月12日 周一 ─────────────────────────────────────────────────────────
m.on("10-12")
p("08:40", "孙强", "立案", to="d14-dark", expect="立案")
p("08:41", "孙强", "收到 上午去看", to="d14-dark")
g("09:10", "3", "陈大姐", "楼上天天咚咚咚的 孩子跑来跑去", id="d15-noise", expect="ticket")
p("09:20", "王芳", "收到 我去跟楼上说说", to="d15-noise")
g("09:30", "6", "林姐", "车棚里的电动车充电桩坏了", id="d15-pile", expect="ticket", late="ack")
p("10:30", "孙强", "灯修好了 换了感应开关", to="d14-dark")
g("10:40", "w2", "许阿姨", "1", expect="rate:satisfied")
g("11:00", "wx6", "谢大爷", "6号楼的自行车棚顶被风刮掉了一块", id="d15-shed", expect="emergency")
p("11:05", "孙强", "一般", to="d15-shed", expect="改紧急程度", wechat=True)
p("11:06", "孙强", "收到 让物业来修", to="d15-shed", wechat=True)
p("15:30", "王芳", "已处理 跟楼上那家说了 他们会注意", to="d15-noise")
g("16:00", "3", "陈大姐", "2", expect="rate:basically")
g("16:30", "6", "林姐", "有人来看了吗", expect="chat")
g("19:10", "3", "王大妈", "今天有点冷了", expect="chat")

p("10:00", "赵敏", "玻璃换好了", to="d13-window")
g("10:10", "w2", "罗叔", "满意 谢谢", expect="rate:satisfied")
g("14:30", "wx6", "苏姐", "6号楼楼下的单车棚灯不亮了", id="d15-shedlight", expect="ticket")
g("15:10", "wx6", "苏姐", "{code:d15-shedlight} 撤销 是开关没开 自己弄好了", expect="chat")
g("08:10", "6", "韩姐", "6号楼的楼道大家自己也注意保持干净", expect="chat")
g("13:40", "3", "王大妈", "3号楼1单元的信箱被人撬了", id="d15-mailbox", expect="ticket")
p("13:50", "王芳", "收到 让物业查监控", to="d15-mailbox")
g("20:10", "3", "马姐", "晚上一起去跳广场舞吗", expect="chat")
# ── 10月13日 周二 ─────────────────────────────────────────────────────────
m.on("10-13")
p("08:35", "王芳", "收到 刘洋的单子我来", to="d15-pile")
g("09:00", "w2", "老高", "9号楼外墙的瓷砖也掉了 差点砸到人", id="d16-tile9", expect="emergency", late="fix")
p("09:01", "孙强", "收到 马上到", to="d16-tile9")
p("09:30", "孙强", "瓷砖掉落的地方已经拉了警戒线 物业在修", to="d16-tile9")
g("10:10", "3", "钱叔", "单元门的门禁坏了 刷卡开不了", id="d16-door3", expect="ticket")
p("10:20", "王芳", "收到", to="d16-door3")
p("11:00", "王芳", "充电桩报修了 等厂家来换", to="d15-pile")
p("14:30", "王芳", "去看过了 门禁换了个读卡器 好了", to="d16-door3")
g("14:35", "3", "钱叔", "满意", expect="rate:satisfied")
p("15:40", "孙强", "外墙瓷砖修好了", to="d16-tile9")
g("16:00", "w2", "老高", "1", expect="rate:satisfied")
g("17:20", "js", "李红梅", "日报", expect="chat")
g("20:30", "6", "韩姐", "明天下午小广场有义诊 免费量血压", expect="chat")

p("10:30", "王芳", "{code:d11-rail} 回访 扶手很结实 老人们放心了")
p("15:00", "孙强", "车棚顶修好了", to="d15-shed", wechat=True)
g("15:10", "wx6", "谢大爷", "满意 谢谢", expect="rate:satisfied")
g("16:30", "w2", "沈老师", "5号楼的楼道灯坏了", id="d16-light5", expect="ticket")
p("16:40", "赵敏", "收到", to="d16-light5")
g("08:20", "w2", "沈老师", "今天社区卫生服务中心免费体检 带身份证", expect="chat")
g("12:40", "6", "小郭", "谁知道附近哪有修手机的", expect="chat")
p("11:30", "王芳", "信箱锁换了 监控也调了", to="d15-mailbox")
g("11:40", "3", "王大妈", "满意 谢谢", expect="rate:satisfied")
g("09:10", "6", "刘阿姨", "6号楼2单元的楼梯扶手油漆掉了 有木刺 扎手", id="d16-rail6", expect="ticket")
p("13:55", "刘洋", "收到 明天找人打磨", to="d16-rail6")
# ── 10月14日 周三 ─────────────────────────────────────────────────────────
m.on("10-14")
g("08:30", "6", "周叔", "6号楼门口的路灯又不亮了", id="d17-lamp2", expect="ticket", late="ack")
g("09:10", "w2", "冯大爷", "8号楼楼道里有人给电动车充电 太危险了", id="d17-charge8", expect="ticket")
p("09:20", "孙强", "收到", to="d17-charge8")
p("10:00", "王芳", "充电桩换好了", to="d15-pile")
g("10:05", "6", "林姐", "满意", expect="rate:satisfied")
p("11:30", "孙强", "已处理 车已经挪走了 跟车主也说了", to="d17-charge8")
g("11:35", "w2", "冯大爷", "1", expect="rate:satisfied")
g("14:00", "3", "孙阿姨", "楼道灯又一闪一闪的", id="d17-flicker", expect="ticket")
p("14:08", "王芳", "收到", to="d17-flicker")
p("15:10", "王芳", "灯修好了 换了新灯管", to="d17-flicker")
g("15:30", "3", "孙阿姨", "不满意 还是一闪一闪的", expect="rate:dissatisfied", redone=True)
p("16:20", "王芳", "收到 我再去看", to="d17-flicker")
g("18:00", "6", "周叔", "@刘洋 路灯那事怎么样了", expect="chat")

p("09:30", "赵敏", "灯换好了", to="d16-light5")
g("09:40", "w2", "沈老师", "1", expect="rate:satisfied")
g("11:00", "3", "钱叔", "3号楼楼下的健身器材螺丝松了 晃得厉害", id="d17-gym3", expect="ticket")
p("11:10", "王芳", "收到", to="d17-gym3")
p("13:50", "王芳", "螺丝都拧紧了", to="d17-gym3")
g("14:10", "3", "钱叔", "满意", expect="rate:satisfied")
g("20:00", "wx6", "曾阿姨", "晚上好", expect="chat")
g("17:00", "js", "张伟", "明天上午九点开会 说一下节后的单子", expect="chat")
g("12:30", "wx6", "唐奶奶", "今天太阳好 晒被子", expect="chat")
p("15:30", "刘洋", "扶手打磨好了 刷了漆", to="d16-rail6")
g("15:40", "6", "刘阿姨", "满意", expect="rate:satisfied")
# ── 10月15日 周四:夜里楼道冒烟 ───────────────────────────────────────────────
m.on("10-15")
p("08:40", "王芳", "这次把整个灯座换了 不闪了", to="d17-flicker")
g("09:00", "3", "孙阿姨", "满意 谢谢 这回好了", expect="rate:satisfied")
p("09:30", "王芳", "收到 刘洋的路灯我来", to="d17-lamp2")
g("10:20", "w2", "沈老师", "我想问问孩子打疫苗在哪预约", id="d18-vaccine", expect="ticket")
p("10:30", "孙强", "已解决 在社区卫生服务中心的公众号上预约", to="d18-vaccine")
g("10:40", "w2", "沈老师", "满意", expect="rate:satisfied")
p("14:20", "王芳", "路灯换好了", to="d17-lamp2")
g("14:25", "6", "周叔", "1", expect="rate:satisfied")
g("23:30", "wx6", "唐奶奶", "楼道里冒烟了 好像哪家着火了 快来人", id="d18-smoke", expect="emergency")
p("23:32", "孙强", "收到 马上到", to="d18-smoke", wechat=True)
g("23:33", "wx6", "谢大爷", "消防车来了", expect="chat")

g("08:50", "w2", "老高", "@孙强 谢谢你们", expect="chat")
g("11:00", "6", "彭阿姨", "11号楼门口的路灯坏了", id="d18-lamp11", expect="ticket")
p("11:10", "李娜", "收到", to="d18-lamp11")
p("15:40", "李娜", "路灯换好了", to="d18-lamp11")
g("16:00", "js", "李红梅", "下周二上午区里来检查 大家把台账准备好", expect="chat")
g("19:30", "3", "郑老师", "听说今晚有流星雨", expect="chat")
g("21:40", "w2", "冯大爷", "晚上东门那边跳广场舞 音响太吵了 十点还没停", id="d18-dance", expect="ticket")
# ── 10月16日 周五 ─────────────────────────────────────────────────────────
m.on("10-16")
p("00:20", "孙强", "已处理 火灭了 是有人在楼道烧纸", to="d18-smoke", wechat=True)
g("07:30", "wx6", "唐奶奶", "满意 辛苦孙强了 半夜还来", expect="rate:satisfied")
g("09:00", "3", "周奶奶", "楼顶漏水的事怎么样了 又下雨了", id="d19-roof-again", expect="ticket")  # a follow-up the bot takes for a new request
p("09:15", "王芳", "{code:d19-roof-again} 合并 {code:d2-roof}", expect="合并")
g("09:40", "6", "宋奶奶", "12号楼独居的刘奶奶两天没见人了 敲门也不应", id="d19-alone", expect="emergency")
p("09:41", "李娜", "收到 马上去", to="d19-alone")
p("10:20", "李娜", "人找到了 老人去女儿家住了两天 没事", to="d19-alone")
p("10:21", "李娜", "1")
g("10:30", "6", "宋奶奶", "满意 谢谢李娜", expect="rate:satisfied")
g("14:00", "w2", "许阿姨", "7号楼的垃圾桶满了 都溢出来了 没人收", id="d19-bins", expect="ticket")
p("14:10", "孙强", "收到", to="d19-bins")
g("16:30", "js", "张伟", "周末值班的同志注意看群", expect="chat")

g("15:00", "wx6", "小潘", "6号楼有一户空调外机架子锈了 感觉要掉下来", id="d19-ac", expect="emergency")
p("15:02", "孙强", "收到 马上到", to="d19-ac", wechat=True)
p("16:10", "孙强", "让物业加固好了", to="d19-ac", wechat=True)
g("16:20", "wx6", "小潘", "满意 谢谢", expect="rate:satisfied")
g("18:00", "6", "小郭", "周末愉快", expect="chat")
p("08:40", "孙强", "收到 今天跟跳舞的队长说", to="d18-dance")
p("11:00", "孙强", "已处理 跟队长说好了 晚上九点半以前结束", to="d18-dance")
g("11:10", "w2", "冯大爷", "满意", expect="rate:satisfied")
g("19:20", "6", "林姐", "周末有没有人去郊区摘苹果", expect="chat")
g("07:10", "3", "郑老师", "明天早上有雾 开车慢点", expect="chat")
# ── 10月17日 周六 ─────────────────────────────────────────────────────────
m.on("10-17")
g("09:30", "3", "马姐", "周末有没有人一起去公园", expect="chat")
g("10:10", "6", "杨师傅", "小区南门的栏杆又坏了", id="d20-gate2", expect="ticket", late="fix")
g("11:00", "w2", "许阿姨", "垃圾车今天来吗", expect="chat")
g("15:20", "3", "小刘", "顶楼的水箱在漏水 楼梯上全是水", id="d20-tank", expect="ticket")
p("15:30", "王芳", "收到 周末我也过去看看", to="d20-tank")
p("17:10", "王芳", "水箱修好了 楼梯上的水也拖干净了", to="d20-tank")
g("20:00", "6", "小郭", "周末愉快", expect="chat")

g("16:30", "w2", "邓师傅", "有没有人捡到一只橘猫", expect="chat")
g("08:40", "3", "吴师傅", "周六睡个好觉", expect="chat")
g("17:20", "wx6", "曾阿姨", "楼下的桂花真香", expect="chat")
g("10:30", "wx6", "谢大爷", "明天降温 记得加衣服", expect="chat")
# ── 10月18日 周日 ─────────────────────────────────────────────────────────
m.on("10-18")
g("10:00", "3", "张阿姨", "今天好多人在小广场跳舞", expect="chat")
g("11:20", "wx6", "曾阿姨", "6号楼门口的下水道返水了 一股臭味", id="d21-back", expect="ticket")
g("15:00", "6", "何大爷", "+1 南门栏杆还没修", expect="co-report")
g("19:30", "w2", "蒋姐", "明天降温 大家多穿点", expect="chat")

g("08:30", "3", "王芳", "今天重阳节 祝老人们节日快乐", expect="chat")
g("09:00", "6", "韩姐", "重阳节快乐 社区送的重阳糕大家领了吗", expect="chat")
g("14:00", "w2", "许阿姨", "楼下的井盖响 车一过就哐哐响", id="d21-cover", expect="ticket")
g("11:00", "3", "张阿姨", "重阳节 社区给老人送了重阳糕 谢谢社区", expect="chat")
g("11:30", "w2", "老高", "重阳节快乐", expect="chat")
# ── 10月19日 周一 ─────────────────────────────────────────────────────────
m.on("10-19")
p("08:35", "孙强", "收到 上午去通", to="d21-back", wechat=True)
p("08:50", "孙强", "清理完了 垃圾都拉走了", to="d19-bins")
g("09:00", "w2", "许阿姨", "满意", expect="rate:satisfied")
p("10:10", "孙强", "下水道通了 是被塑料袋堵的", to="d21-back", wechat=True)
p("11:20", "刘洋", "收到 栏杆我联系物业", to="d20-gate2")
g("14:00", "3", "郑老师", "谁家的狗天天半夜叫", id="d22-dog", expect="ticket")
p("14:10", "王芳", "收到 我去问问", to="d22-dog")
g("15:30", "w2", "罗叔", "5号楼门口停的车把消防通道堵死了", id="d22-fire-lane", expect="ticket")
p("15:40", "赵敏", "收到", to="d22-fire-lane")
p("16:30", "赵敏", "联系了交警 车拖走了", to="d22-fire-lane")
g("16:35", "w2", "罗叔", "1", expect="rate:satisfied")
g("20:00", "3", "王大妈", "晚上跳舞的音响小点声就好了", expect="chat")

p("08:30", "周丽", "周报", expect="chat")
p("08:45", "孙强", "收到", to="d21-cover")
p("08:46", "孙强", "位置 8号楼", to="d21-cover", expect="改位置")
p("10:40", "王芳", "{code:d17-flicker} 回访 灯不闪了 孙阿姨说挺好")
g("11:00", "wx6", "谢大爷", "6号楼楼道扶手上全是灰 没人擦", id="d22-dust", expect="ticket")
p("11:10", "孙强", "收到", to="d22-dust", wechat=True)
p("14:30", "孙强", "扶手擦干净了", to="d22-dust", wechat=True)
g("14:40", "wx6", "谢大爷", "1", expect="rate:satisfied")
p("15:50", "孙强", "井盖垫好了 不响了", to="d21-cover")
g("16:00", "w2", "许阿姨", "满意", expect="rate:satisfied")
g("07:50", "3", "钱叔", "周一 又是新的一周", expect="chat")
g("09:10", "wx6", "物业小陈", "物业通知:本周四下午6号楼停水两小时 检修管道", expect="chat")
g("19:40", "6", "韩姐", "周末去看我妈了", expect="chat")
g("19:20", "3", "吴师傅", "3号楼停电了 家里全黑", id="d22-power", expect="ticket")
g("19:22", "3", "马姐", "我家也是 全黑了", expect="co-report")
g("19:23", "3", "钱叔", "+1", expect="co-report")
p("19:25", "王芳", "收到 马上联系供电局", to="d22-power")
p("19:50", "王芳", "供电局说是线路故障 正在抢修", to="d22-power")
p("20:40", "王芳", "来电了 供电局修好了", to="d22-power")
g("20:42", "3", "马姐", "来电了 谢谢", expect="chat")
g("20:45", "3", "吴师傅", "满意", expect="rate:satisfied")
# ── 10月20日 周二 ─────────────────────────────────────────────────────────
m.on("10-20")
p("09:00", "王芳", "狗的事跟那户说了 他们会注意", to="d22-dog")
p("09:01", "王芳", "1")
g("09:30", "6", "黄阿姨", "暖气什么时候来啊 家里好冷", id="d23-heat", expect="ticket", late="fix")
p("09:40", "刘洋", "收到", to="d23-heat")
p("10:10", "刘洋", "需要供热公司来处理 我上报一下", to="d23-heat")
g("10:40", "3", "郑老师", "2", expect="rate:basically")
g("11:00", "wx6", "苏姐", "谢谢 下水道好了", expect="chat")
g("14:20", "3", "周奶奶", "楼顶的事快点吧", id="d23-roof", expect="card")
p("14:40", "王芳", "忽略", to="d23-roof", expect="忽略")
g("15:00", "js", "张伟", "3号楼楼顶那个单子维修基金批了没有", expect="chat")
g("15:10", "js", "李红梅", "在走流程 这周能批", expect="chat")
g("19:00", "6", "小郭", "家里穿羽绒服了🥶", expect="chat")

g("10:00", "w2", "许阿姨", "1号楼楼道里有人吸烟 烟头扔一地", id="d23-smoke1", expect="ticket")
p("10:10", "赵敏", "收到", to="d23-smoke1")
p("15:00", "赵敏", "跟那户说好了 以后不在楼道吸烟 烟头也扫了", to="d23-smoke1")
g("15:20", "w2", "许阿姨", "满意", expect="rate:satisfied")
p("17:00", "吴建国", "日报", expect="chat", wechat=True)
g("07:40", "6", "宋奶奶", "今天降温了 穿厚点", expect="chat")
g("13:30", "3", "郑老师", "3号楼门口的垃圾分类桶标签掉了 大家都乱扔", id="d23-labels", expect="ticket")
p("13:45", "王芳", "收到", to="d23-labels")
p("16:10", "王芳", "标签重新贴好了", to="d23-labels")
g("16:30", "3", "郑老师", "满意", expect="rate:satisfied")
g("17:30", "6", "小郭", "谁家的风筝挂树上了", expect="chat")
# ── 10月21日 周三 ─────────────────────────────────────────────────────────
m.on("10-21")
g("08:40", "3", "陈大姐", "2单元楼道配电箱冒烟了 快来人", id="d24-box", expect="emergency")
p("08:41", "王芳", "收到 马上到", to="d24-box")
g("08:43", "3", "赵叔", "+1 我们单元也闻到焦糊味了", expect="co-report")
p("09:20", "王芳", "电工来了 配电箱里一根线烧了 已经换好", to="d24-box")
g("09:30", "3", "陈大姐", "满意", expect="rate:satisfied")
g("10:00", "6", "何大爷", "@刘洋 栏杆那事怎么样了", expect="chat")
g("11:10", "w2", "沈老师", "8号楼楼道的窗户关不上 晚上风大", id="d24-window8", expect="ticket", late="open")
p("11:20", "孙强", "收到", to="d24-window8")
g("14:00", "6", "黄阿姨", "暖气的事供热公司来电话了 说下周", expect="chat")
p("15:30", "孙强", "窗户修好了", to="d24-window8")
g("15:40", "w2", "沈老师", "不满意 窗户还是关不严 风还往里灌", expect="rate:dissatisfied")

g("16:00", "6", "田叔", "12号楼楼下的垃圾桶满了", id="d24-bins12", expect="ticket")
p("16:10", "李娜", "收到", to="d24-bins12")
p("17:20", "李娜", "清理完了 垃圾都拉走了", to="d24-bins12")
g("17:30", "6", "田叔", "满意", expect="rate:satisfied")
g("20:40", "w2", "蒋姐", "明天有寒潮", expect="chat")
g("09:50", "3", "郑老师", "楼下的银杏叶黄了 真好看", expect="chat")
g("13:00", "w2", "许阿姨", "下雨了 晾的衣服快收", expect="chat")
# ── 10月22日 周四 ─────────────────────────────────────────────────────────
m.on("10-22")
g("08:50", "3", "小刘", "我家门口那块地砖翘起来了 老人容易绊倒", id="d25-tile", expect="ticket")
p("09:00", "王芳", "收到", to="d25-tile")
g("09:20", "6", "刘阿姨", "6号楼电梯今天又停了", id="d25-lift2", expect="ticket")
g("09:25", "6", "宋奶奶", "我家也是 又下不了楼了", expect="co-report")
p("09:40", "刘洋", "收到 马上联系电梯公司", to="d25-lift2")
p("11:30", "刘洋", "电梯修好了 是门机坏了 已换", to="d25-lift2")
g("11:40", "6", "刘阿姨", "基本满意", expect="rate:basically")
p("14:00", "王芳", "地砖重新铺好了", to="d25-tile")
g("20:00", "w2", "蒋姐", "明天社区有没有活动", expect="chat")

g("10:00", "w2", "沈老师", "我想问问社区有没有老年大学的课 怎么报名", id="d25-class", expect="ticket")
p("10:20", "孙强", "已解决 周三下午书法课 在社区活动室 带身份证去报名", to="d25-class")
g("10:30", "w2", "沈老师", "满意 谢谢", expect="rate:satisfied")
g("15:00", "3", "孙阿姨", "2单元楼道的窗户关不严 晚上风呼呼的", id="d25-window3", expect="ticket")
p("15:10", "王芳", "收到", to="d25-window3")
p("17:00", "王芳", "窗户修好了 换了个窗扣", to="d25-window3")
g("17:10", "3", "孙阿姨", "满意", expect="rate:satisfied")
g("19:00", "wx6", "曾阿姨", "6号楼楼顶的太阳能热水器管子漏水", id="d25-solar", expect="ticket")
g("07:30", "6", "小郭", "冷死了🥶", expect="chat")
g("08:10", "wx6", "谢大爷", "今天降温 大家注意", expect="chat")
p("09:00", "孙强", "收到 我再去看看", to="d24-window8")
# ── 10月23日 周五 ─────────────────────────────────────────────────────────
m.on("10-23")
p("09:30", "王芳", "楼顶防水做好了 维修基金也办完了", to="d2-roof")
g("10:00", "3", "周奶奶", "基本满意", expect="rate:basically")
p("10:30", "刘洋", "栏杆修好了", to="d20-gate2")
g("10:40", "6", "杨师傅", "1", expect="rate:satisfied")
g("14:10", "w2", "韦阿姨", "4号楼的楼道灯坏了", id="d26-light4", expect="ticket")
p("14:20", "赵敏", "收到", to="d26-light4")
p("16:00", "赵敏", "灯换好了", to="d26-light4")
g("16:10", "w2", "韦阿姨", "满意", expect="rate:satisfied")
g("19:00", "3", "马姐", "周五了 周末去哪", expect="chat")

p("08:50", "孙强", "收到", to="d25-solar", wechat=True)
p("08:51", "孙强", "类别 给排水", to="d25-solar", expect="改类别", wechat=True)
g("09:00", "w2", "罗叔", "3号楼有人在楼道里养鸡 味道太大了", id="d26-hens", expect="emergency")  # a false alarm (README: false emergencies)
p("09:03", "赵敏", "一般", to="d26-hens", expect="改紧急程度")  # the worker puts it right
p("09:20", "赵敏", "收到", to="d26-hens")
p("11:00", "孙强", "热水器的管子换好了 不漏了", to="d25-solar", wechat=True)
g("11:10", "wx6", "曾阿姨", "满意", expect="rate:satisfied")
p("15:30", "赵敏", "跟那户说好了 鸡已经送走了", to="d26-hens")
g("15:40", "w2", "罗叔", "满意 谢谢", expect="rate:satisfied")
p("16:30", "王芳", "{code:d24-box} 回访 配电箱正常 线路也检查了")
g("13:20", "w2", "沈老师", "社区的书法课挺好的 推荐大家去", expect="chat")
# ── 10月24日 周六 ─────────────────────────────────────────────────────────
m.on("10-24")
g("09:00", "3", "王大妈", "周末愉快各位", expect="chat")
g("10:30", "w2", "冯大爷", "8号楼楼道里一股煤气味 好浓", id="d27-gas2", expect="emergency")
p("10:31", "孙强", "收到 马上到", to="d27-gas2")
p("11:10", "孙强", "燃气公司来了 是8楼一家灶具阀门漏气 已经修好", to="d27-gas2")
g("11:20", "w2", "冯大爷", "满意", expect="rate:satisfied")
g("15:00", "6", "小郭", "小区里的桂花开了 好香", expect="card")  # nobody decides it

g("11:30", "6", "杨师傅", "我是7号楼的 楼下的下水道堵了", id="d27-drain7", expect="ticket")
g("09:20", "3", "郑老师", "周末带孩子去博物馆", expect="chat")
g("16:40", "wx6", "苏姐", "有人知道快递驿站几点关门吗", expect="chat")
g("20:00", "w2", "蒋姐", "明天是不是要停电", expect="chat")
g("20:05", "w2", "老高", "没听说 应该不停", expect="chat")
# ── 10月25日 周日 ─────────────────────────────────────────────────────────
m.on("10-25")
g("10:00", "3", "张阿姨", "今天降温了 老人注意保暖", expect="chat")
g("16:00", "wx6", "苏姐", "谁家的快递放错了 在6号楼门口放着呢", expect="chat")

g("12:00", "w2", "蒋姐", "周末在家包饺子", expect="chat")
g("09:30", "6", "韩姐", "下周三社区有义诊 大家去量量血压", expect="chat")
g("14:00", "3", "小刘", "周日加班 哭", expect="chat")
# ── 10月26日 周一 ─────────────────────────────────────────────────────────
m.on("10-26")
g("08:30", "6", "黄阿姨", "暖气还是不热", id="d29-heat-again", expect="ticket", late="ack")  # a follow-up the bot takes for a new request
p("09:05", "刘洋", "{code:d29-heat-again} 合并 {code:d23-heat}", expect="合并")
g("09:10", "3", "孙阿姨", "垃圾站那边好几天没清了 味道太大了", id="d29-trash2", expect="ticket")
p("09:20", "王芳", "收到", to="d29-trash2")
p("10:30", "王芳", "已处理 清完了 以后每天清两次", to="d29-trash2")
g("10:40", "3", "孙阿姨", "1", expect="rate:satisfied")
g("14:00", "w2", "邓师傅", "9号楼楼道灯坏了", id="d29-light9", expect="ticket")
p("14:10", "孙强", "收到", to="d29-light9")
p("15:00", "孙强", "灯换好了", to="d29-light9")

p("09:30", "刘洋", "收到", to="d27-drain7")
p("11:20", "刘洋", "下水道通开了", to="d27-drain7")
g("11:30", "6", "杨师傅", "满意", expect="rate:satisfied")
g("15:20", "w2", "邓师傅", "3", expect="rate:dissatisfied", redone=True)
g("16:00", "w2", "蒋姐", "今天社区发了防诈骗的传单 大家看看", expect="chat")
g("07:45", "3", "王大妈", "周一了 大家早上好", expect="chat")
g("17:10", "js", "李红梅", "这个月的台账大家周三前交给我", expect="chat")
# ── 10月27日 周二:月底 ──────────────────────────────────────────────────────
m.on("10-27")
p("09:00", "刘洋", "供热公司来了 暖气片排了气 现在热了", to="d23-heat")
g("09:30", "6", "黄阿姨", "满意 谢谢", expect="rate:satisfied")
g("10:00", "3", "小刘", "我家门口地砖的事挺好 谢谢", expect="chat")
g("11:00", "w2", "蒋姐", "小区里的落叶好多 扫扫吧", id="d30-leaves", expect="ticket")
p("11:10", "孙强", "收到", to="d30-leaves")
p("16:00", "孙强", "清理完了 垃圾都拉走了", to="d30-leaves")
g("16:20", "w2", "蒋姐", "满意", expect="rate:satisfied")
p("17:00", "郑国强", "周报", expect="chat")

g("09:30", "3", "张阿姨", "这个月网格员辛苦了", expect="chat")
p("10:00", "孙强", "又换了一次 这回是线路的问题 已修好", to="d29-light9")
g("10:20", "w2", "邓师傅", "满意 谢谢", expect="rate:satisfied")
g("17:30", "6", "黄阿姨", "晚上好", expect="chat")
g("12:00", "wx6", "唐奶奶", "这个月孙强辛苦了", expect="chat")
g("15:00", "w2", "老高", "月底了 物业费记得交", expect="chat")
g("14:20", "3", "钱叔", "3号楼1单元的楼道窗户玻璃裂了", id="d30-glass", expect="ticket", late="open")
p("14:30", "王芳", "收到 明天让物业来换", to="d30-glass")
if __name__ == "__main__":
    sys.stdout.write("\n".join(m.written()) + "\n")
