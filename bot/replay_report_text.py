"""The replay report as a street office reads it: plain Chinese, figures first,
then where the promises were not kept, ticket by ticket."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from bot.replay_checks import minutes_text


def pad(text: str, width: int) -> str:
    """Left-align in a terminal, where Chinese characters take two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 1)


def _day(iso: str | None) -> str:
    if not iso:
        return "—"
    at = datetime.fromisoformat(iso)
    return f"{at.year}年{at.month}月{at.day}日"


def _short(iso: str | None) -> str:
    return datetime.fromisoformat(iso).strftime("%m-%d %H:%M") if iso else "—"


def _percent(rate: dict[str, Any]) -> str:
    return "—" if rate["rate"] is None else f"{rate['rate'] * 100:.0f}%"


def _counts(counts: dict[str, int]) -> str:
    return ",".join(f"{k} {v}" for k, v in counts.items()) or "无"


def _late(minutes: int) -> str:
    return minutes_text(minutes)


def _heading(r: dict[str, Any]) -> list[str]:
    p, lines = r["period"], r["lines"]
    out = [f"══ 试运行报告:{r['street']} ══",
           f"时间:{_day(p['from'])} 至 {_day(p['to'])}({p['days']}天,到 {_short(p['to'])} 为止)",
           f"读入 {lines['read']} 行,回放 {lines['replayed']} 行,跳过 {len(lines['skipped'])} 行。"]
    out += [f"  第{s['line']}行:{s['reason']}" for s in lines["skipped"]]
    if lines["errors"]:
        out.append(f"处理出错 {len(lines['errors'])} 次:")
        out += [f"  第{e['line']}行:{e['error']}" if e["line"] else f"  {e['error']}" for e in lines["errors"]]
    out += [f"  第{n['line']}行:{n['notice']}" for n in lines["notices"]]
    return out


def _summary(r: dict[str, Any]) -> list[str]:
    lines, cards, t = r["lines"], r["cards"], r["tickets"]
    rates = r["rates"]["total"]
    emergencies = len({e["ticket"] for e in r["emergencies"]})
    return [
        "",
        "【一、概况】",
        f"居民发了 {lines['from_residents']} 条消息:{lines['opened_ticket']} 条当场登记为新工单,"
        f"{lines['joined_ticket']} 条是已有工单的同一问题(并入,记下受影响的户数),"
        f"{lines['became_card']} 条机器人拿不准、交网格员判断"
        f"(立案 {cards['filed']},忽略 {cards['ignored']},待处理 {cards['pending']}),"
        f"其余 {lines['nothing']} 条是闲聊、通知、感谢、评价或查询,没有登记。",
        f"工作人员发了 {lines['from_staff']} 条。机器人共发出 {r['bot_said']['total']} 条消息。",
        f"工单共 {t['total']} 件(紧急 {emergencies} 件),期末未办结 {t['open_at_end']} 件;"
        f"响应率 {_percent(rates['response'])},解决率 {_percent(rates['resolution'])},"
        f"满意率 {_percent(rates['satisfaction'])};超时 {len(r['overdue'])} 件次。",
    ]


def _rates(r: dict[str, Any]) -> list[str]:
    rates, d = r["rates"], r["rates"]["definitions"]
    total = rates["total"]
    out = ["", "【二、三率】(口径与日报相同)",
           f"  响应率 {_percent(total['response'])}(新登记 {total['response']['total']} 件,"
           f"按时接单 {total['response']['ok']} 件)",
           f"  解决率 {_percent(total['resolution'])}(应办结 {total['resolution']['total']} 件,"
           f"按时办结 {total['resolution']['ok']} 件)",
           f"  满意率 {_percent(total['satisfaction'])}(评价 {total['satisfaction']['total']} 条,"
           f"满意或基本满意 {total['satisfaction']['ok']} 条)",
           "  分网格:"]
    for g in rates["by_grid"]:
        out.append(f"    {pad(g['name'], 16)}新增 {g['new']:>3}  响应 {_percent(g['response']):>4}  "
                   f"解决 {_percent(g['resolution']):>4}  满意 {_percent(g['satisfaction']):>4}")
    out += ["  怎么算:", f"    响应率:{d['response']}", f"    解决率:{d['resolution']}",
            f"    满意率:{d['satisfaction']}", f"    {d['common']}"]
    return out


def _tickets(r: dict[str, Any]) -> list[str]:
    t = r["tickets"]
    return ["", f"【三、工单】共 {t['total']} 件",
            f"  按状态:{_counts(t['by_status'])}", f"  按类别:{_counts(t['by_category'])}",
            f"  按网格:{_counts(t['by_grid'])}", f"  按社区:{_counts(t['by_community'])}",
            f"  按紧急程度:{_counts(t['by_urgency'])}"]


def _overdue(r: dict[str, Any]) -> list[str]:
    overdue = r["overdue"]
    out = ["", f"【四、超时的工单】{len(overdue)} 件次"]
    if not overdue:
        return [*out, "  没有工单超时。"]
    holders: dict[str, int] = {}
    for o in overdue:
        met = f"晚{_late(o['late_minutes'])}{o['met_by']}" if o["met"] else \
            f"到期末仍未{o['missed']}(已超{_late(o['late_minutes'])})"
        then = f",后由{'、'.join(o['then_held_by'])}接手" if o["then_held_by"] else ""
        out.append(f"  {o['ticket']} {o['category']} {o['grid']}{' ' + o['building'] + '号楼' if o['building'] else ''}:"
                   f"{o['missed']}时限 {_short(o['due'])},{met};当时负责人 {o['held_by']}{then};"
                   f"现在{o['status_at_end']}")
        holders[o["held_by"]] = holders.get(o["held_by"], 0) + 1
    out.append("  超时时的负责人:" + ",".join(f"{k} {v} 件次" for k, v in
                                        sorted(holders.items(), key=lambda kv: -kv[1])))
    return out


def _follow_ups(r: dict[str, Any]) -> list[str]:
    f = r["follow_ups"]
    out = ["", "【五、提醒与督办】(机器人按时限自动发出)",
           f"  接单:提醒 {f['接单提醒']} 次,超时通知 {f['接单超时通知']} 次,备岗接手 {f['备岗接手']} 次,"
           f"告知网格长 {f['超时未接单告知网格长']} 次",
           f"  办结:提醒 {f['办结提醒']} 次,超时上报社区 {f['超时未办结上报社区']} 次,"
           f"上报街道 {f['超时未办结上报街道']} 次;网格员主动上报 {f['网格员主动上报']} 次",
           f"  办结以后:回访任务 {f['回访任务']} 次(网格员记下回访结果 {f['回访已记录']} 次),评价提醒 {f['评价提醒']} 次,"
           f"超期未评价自动办结 {f['超期未评价自动办结']} 件",
           f"  免打扰时段暂缓、到早上才发出的消息 {f['免打扰时段暂缓发送']} 条(紧急情况从不暂缓)"]
    if f["held_at_end"]:
        out.append(f"  试运行结束时还有 {f['held_at_end']} 条在等免打扰时段结束")
    return out


def _emergencies(r: dict[str, Any]) -> list[str]:
    out = ["", f"【六、紧急情况】{len(r['emergencies'])} 次"]
    for e in r["emergencies"]:
        told = "、".join(f"{name}{'未收到' if s is None else ('当分钟收到' if s < 60 else f'{s // 60}分钟后收到')}"
                        for name, s in e["leaders_told_after_seconds"].items())
        ack = f"{e['first_ack_minutes']:g}分钟后{e['acknowledged_by']}接单" if e["first_ack_minutes"] is not None \
            else "没有人接单"
        how = "(后来升为紧急)" if e["raised_later"] else ""
        if e["now_urgency"] != "紧急":
            how += f"(网格员改为{e['now_urgency']})"
        where = f"{e['building']}号楼" if e["building"] else e["grid"]
        out.append(f"  {e['ticket']} {e['category']}{how} {where} {_short(e['since'])}:{ack};{told};"
                   f"现在{e['status_at_end']}")
    return out


def _conversation(r: dict[str, Any]) -> list[str]:
    c, co, ratings = r["cards"], r["co_reports"], r["ratings"]
    return ["", "【七、可能的诉求、更正、同一问题、评价】",
            f"  可能的诉求 {c['total']} 条:立案 {c['filed']},忽略 {c['ignored']},待处理 {c['pending']}",
            f"  工作人员更正:{_counts({k: v for k, v in r['corrections'].items() if v})}",
            f"  同一问题多户反映:并入 {co['reports']} 次,涉及 {co['tickets']} 件工单,最多的一件 {co['most_households']} 户",
            f"  居民评价:{_counts(ratings)}"]


def _checks(r: dict[str, Any]) -> list[str]:
    out = ["", "【八、服务承诺检查】"]
    for c in r["checks"]:
        mark = "✔" if not c["failures"] else "✘"
        out.append(f"  {mark} {c['promise']}:{c['ok']}/{c['total']}")
        out += [f"      {f['ticket']} {f['why']}" for f in c["failures"]]
        out += [f"      (说明){n['ticket']} {n['note']}" for n in c["notes"]]
    return out


def _bot_said(r: dict[str, Any]) -> list[str]:
    b = r["bot_said"]
    out = ["", "【九、机器人在各群说的话】(条数)"]
    out += [f"  {pad(name, 28)}{n}" for name, n in b["groups"].items()]
    out.append("  私聊:" + (",".join(f"{k} {v}" for k, v in b["private"].items()) or "无"))
    out.append(f"  其中日报 {b['daily_digests']} 份,周报 {b['weekly_digests']} 份(私聊发给网格长、社区和街道负责人)")
    return out


def format_report(r: dict[str, Any]) -> str:
    parts = [_heading(r), _summary(r), _rates(r), _tickets(r), _overdue(r), _follow_ups(r), _emergencies(r),
             _conversation(r), _checks(r), _bot_said(r)]
    return "\n".join(line for part in parts for line in part)
