"""Everything the bot says, in one place: short, plain Chinese.

Texts for a whole group never carry a phone number, room or resident's name;
only a staff member's private notification does.
"""

from __future__ import annotations

from datetime import datetime

from handlers.categories import CATEGORY_LABELS, URGENCY_LABELS, Urgency
from handlers.tickets import STATUS_LABELS, Reporter, Ticket

DEFAULT_HOTLINE = "如有生命危险请立即拨打120(急救)/119(火警)/110(报警)。"

DEFAULT_EXPECTATION = {
    Urgency.EMERGENCY: "5分钟内",
    Urgency.URGENT: "30分钟内",
    Urgency.NORMAL: "4个工作小时内",
}


def _category(t: Ticket) -> str:
    return CATEGORY_LABELS[t.category]


def place(t: Ticket, *, private: bool) -> str:
    """Where the problem is; rooms only in private texts to staff."""
    parts = []
    if t.building:
        parts.append(f"{t.building}号楼")
    if private and t.unit:
        parts.append(f"{t.unit}单元")
    if private and t.room:
        parts.append(f"{t.room}室")
    if t.landmark:
        parts.append(t.landmark)
    return "".join(parts) or "未说明位置"


def receipt(t: Ticket, worker_name: str | None, expectation: str, hotline: str | None) -> str:
    who = f"网格员{worker_name}" if worker_name else "社区值班人员"
    if hotline:
        return (
            f"⚠️ 紧急情况!{hotline}\n"
            f"已登记 {t.label}({_category(t)}),已通知{who}、网格长和社区负责人,请保持电话畅通。"
        )
    return (
        f"已收到,登记为 {t.label}({_category(t)})。由{who}负责,预计{expectation}回复。"
        f"查进度请发“{t.label} 进度”。"
    )


_WEEKDAYS = "一二三四五六日"


def _part_of_day(when: datetime) -> str:
    if when.hour < 12:
        return "上午"
    if when.hour < 13:
        return "中午"
    if when.hour < 18:
        return "下午"
    return "晚上"


def by_when(due: datetime, now: datetime) -> str:
    """A deadline as a resident says it: 今天17:30前, 明天(周五)上午10:30前."""
    days = (due.date() - now.date()).days
    clock = f"{due:%H:%M}"
    if days <= 0:
        return f"今天{clock}前"
    weekday = f"(周{_WEEKDAYS[due.weekday()]})"
    if days == 1:
        return f"明天{weekday}{_part_of_day(due)}{clock}前"
    if days == 2:
        return f"后天{weekday}{_part_of_day(due)}{clock}前"
    return f"{due.month}月{due.day}日{weekday}{_part_of_day(due)}{clock}前"


def raised_for_group(t: Ticket, worker_name: str | None, hotline: str) -> str:
    who = f"网格员{worker_name}" if worker_name else "社区值班人员"
    return (
        f"⚠️ 紧急情况!{hotline}\n"
        f"{t.label} 已升为紧急,已通知{who}、网格长和社区负责人,请保持电话畅通。"
    )


def co_report_receipt(t: Ticket) -> str:
    return f"这个问题已在处理({t.label}),已记下您家也受影响,现共{t.households}户反映。"


def worker_notification(t: Ticket, reporter_name: str, raw_text: str) -> str:
    lines = [
        f"【新工单 {t.label}】{_category(t)}·{URGENCY_LABELS[t.urgency]}",
        f"位置:{place(t, private=True)}",
        f"反映人:{reporter_name or '居民'}" + (f" 电话:{t.phone}" if t.phone else ""),
        f"原话:{raw_text[:500]}",
    ]
    if t.households > 1:
        lines.append(f"共{t.households}户反映")
    lines.append("回复这条消息说情况即可:“收到”接单,办好了说“已修好 换了灯泡”,不需要处理说“误报”,要上报说“上报 原因”。")
    return "\n".join(lines)


def emergency_alert(t: Ticket, worker_name: str | None, hotline: str | None) -> str:
    return (
        f"🚨【紧急 {t.label}】{_category(t)} 位置:{place(t, private=True)}\n"
        f"负责网格员:{worker_name or '未指定'}。{hotline or ''}\n"
        "请立即联系处置。"
    )


def follow_up_receipt(t: Ticket) -> str:
    return f"已转告负责的工作人员({t.label}),请稍候。"


def follow_up_for_worker(t: Ticket, raw_text: str) -> str:
    return f"{t.label} 反映人补充:{raw_text[:300]}"


def households_update(t: Ticket, who: Reporter) -> str:
    lines = [f"{t.label} 又有一户反映同一问题,现共{t.households}户。"]
    place_parts = [f"{t.building}号楼" if t.building else "", f"{who.unit}单元" if who.unit else "",
                   f"{who.room}室" if who.room else ""]
    lines.append(f"反映人:{who.name or '居民'}" + (f" 位置:{''.join(place_parts)}" if who.room or who.unit else "")
                 + (f" 电话:{who.phone}" if who.phone else ""))
    if who.text:
        lines.append(f"原话:{who.text[:300]}")
    return "\n".join(lines)


def acknowledged_for_group(t: Ticket, worker_name: str) -> str:
    return f"{t.label} 网格员{worker_name}已接单,正在处理。"


def acknowledged_for_worker(t: Ticket) -> str:
    return f"已接单 {t.label}。办好后回复这条消息说一声即可,例如“灯换好了”。"


def resolved_for_group(t: Ticket, note: str) -> str:
    text = f"{t.label}({_category(t)})已解决。"
    if note:
        text += f"处理情况:{note[:200]}"
    return text


def rating_request(t: Ticket) -> str:
    who = f"@{t.reporter.name} " if t.reporter.name else ""
    return f"{who}{t.label} 已处理完毕,请您评价:回复 1 满意,2 基本满意,3 不满意。"


def already_rated(t: Ticket) -> str:
    return f"{t.label} 已评价,谢谢!"


def resolved_for_worker(t: Ticket) -> str:
    return f"{t.label} 已记为解决,已通知群里和反映人。"


def transferred_for_new_assignee(t: Ticket, by_name: str, reporter_name: str, raw: str) -> str:
    return f"{by_name}把工单转给您:\n" + worker_notification(t, reporter_name, raw)


def transferred_for_actor(t: Ticket, to_name: str) -> str:
    return f"{t.label} 已转给{to_name}。"


def escalated_for_leader(t: Ticket, by_name: str, reason: str, level_name: str) -> str:
    return (
        f"【上报 {t.label}】{by_name}上报到{level_name}:{reason or '未说明原因'}\n"
        f"{_category(t)} 位置:{place(t, private=True)} 原话:{t.text[:300]}"
    )


def escalated_for_actor(t: Ticket, level_name: str) -> str:
    return f"{t.label} 已上报{level_name}。"


def escalated_for_group(t: Ticket, level_name: str) -> str:
    return f"{t.label} 已上报{level_name}协调处理。"


def noted(t: Ticket) -> str:
    return f"{t.label} 已添加备注。"


def progress(t: Ticket, holder_name: str | None, updated: datetime, extra: str = "") -> str:
    text = f"{t.label}({_category(t)}) 状态:{STATUS_LABELS[t.status]}"
    if holder_name:
        text += f",负责人:{holder_name}"
    text += f",更新于{updated:%m月%d日 %H:%M}。"
    if t.households > 1:
        text += f"共{t.households}户反映。"
    return text + extra


def withdrawn(t: Ticket) -> str:
    return f"{t.label} 已撤销。"


def withdrawn_for_worker(t: Ticket) -> str:
    return f"{t.label} 已被反映人撤销,无需处理。"


def not_allowed() -> str:
    return "抱歉,只有负责这个工单的工作人员可以操作。"


def not_reporter() -> str:
    return "抱歉,只有反映人本人可以撤销这个工单。"


def unknown_ticket(code: int) -> str:
    return f"没有找到工单 #{code:04d},请核对编号。"


def which_ticket() -> str:
    return "请说明是哪个工单,例如“#42 收到”。"


def not_possible(t: Ticket) -> str:
    return f"{t.label} 现在是“{STATUS_LABELS[t.status]}”,不能这样操作。"


def unknown_staff(name: str) -> str:
    return f"没有找到工作人员“{name}”,请写全名。"


def rating_thanks(t: Ticket) -> str:
    return f"谢谢您的评价!{t.label} 已办结。"


def rating_reopened(t: Ticket) -> str:
    return f"很抱歉没有让您满意,{t.label} 已重新交给网格员处理。"


def reopened_for_staff(t: Ticket) -> str:
    return f"【重新处理 {t.label}】反映人评价“不满意”,工单已重新打开,请尽快联系。"


def image_recorded(t: Ticket) -> str:
    return f"{t.label} 已收到图片。"


def visit_recorded(t: Ticket) -> str:
    return f"{t.label} 回访已记录。"


def private_help() -> str:
    return (
        "您好,我是网格前台。有事请直接说明问题和位置,例如“3号楼2单元楼道灯坏了”。"
        "查进度请发“#编号 进度”。"
    )


def staff_private_help() -> str:
    return (
        "回复工单通知,直接说情况就行,例如“收到”“灯换好了”“去看了 没问题”。"
        "也可以写编号:#42 已解决 说明 / 转 姓名 / 上报 原因 / 备注 内容 / 误报 / 不是诉求 / "
        "类别 燃气 / 紧急 / 位置 5号楼2单元 / 进度;要日报发“日报”。"
    )


IMAGE_NOT_SENT = "(图片未能发到微信)"


def not_reporter_rating() -> str:
    return "谢谢!评价由反映这个问题的居民来做。"


def ack_reminder(t: Ticket) -> str:
    return f"⏰ 提醒:{t.label}({_category(t)})还没有接单,请回复“收到”。"


def ack_overdue(t: Ticket) -> str:
    return f"⏰ {t.label}({_category(t)})已超过接单时限,请马上回复“收到”。"


def reassigned_to_backup(t: Ticket, previous_name: str) -> str:
    return f"{previous_name}超时未接单,{t.label} 改由您处理。"


def ack_missed_for_leader(t: Ticket, holder_name: str | None) -> str:
    return f"【超时未接单 {t.label}】{_category(t)},负责人:{holder_name or '未指定'},请督办。"


def resolve_reminder(t: Ticket, due_local: datetime | None) -> str:
    deadline = f",办结时限{due_local:%m月%d日 %H:%M}" if due_local else ""
    return f"⏰ 提醒:{t.label}({_category(t)})还未办结{deadline}。办好后发“{t.label} 已解决 说明”。"


def return_visit_due(t: Ticket) -> str:
    return f"请回访 {t.label}({_category(t)},{place(t, private=True)}),回访后发“{t.label} 回访 结果”。"


def rating_reminder(t: Ticket) -> str:
    who = f"@{t.reporter.name} " if t.reporter.name else ""
    return f"{who}{t.label} 已处理完毕,还请您评价:回复 1 满意,2 基本满意,3 不满意。"


def digest_not_for_you() -> str:
    return "日报发给网格长、社区和街道负责人。"


def merged_for_group(source: Ticket, target: Ticket) -> str:
    return f"{source.label} 与 {target.label} 是同一个问题,已合并,一起处理。查进度请发“{target.label} 进度”。"


def merged_for_staff(source: Ticket, target: Ticket) -> str:
    return f"{source.label} 已并入 {target.label},现共{target.households}户反映。"


def merge_target_unknown() -> str:
    return "请写明并入哪个工单,例如“#43 合并 #42”。"


# --- corrections and cards ---------------------------------------------------------------


def dismissed_for_group(t: Ticket) -> str:
    return f"{t.label} 经工作人员核实,不需要处理,已关闭。如果问题还在,请再发消息说明,谢谢!"


def dismissed_for_staff(t: Ticket) -> str:
    return f"{t.label} 已关闭(不需要处理),不计入解决率。"


def corrected_for_staff(t: Ticket, what: str) -> str:
    return f"{t.label} 已更正:{what}。"


def card_for_worker(card_id: int, chat_name: str, sender: str, text: str, guess: str | None, reason: str) -> str:
    lines = [f"【可能的诉求 K{card_id}】{chat_name} · {sender or '居民'}"]
    lines.append(f"{reason}:“{text[:300]}”" if text else reason)
    if guess:
        lines.append(f"看起来像:{guess}")
    lines.append("回复“立案”登记为工单,回复“忽略”不处理。")
    return "\n".join(lines)


CARD_UNSURE = "机器人拿不准是不是诉求"
CARD_VOICE = "居民发了一条语音"
CARD_PHOTO = "居民发了一张图片,没有文字"


def card_filed(t: Ticket) -> str:
    return f"已立案 {t.label}。"


def card_ignored() -> str:
    return "已忽略,不登记。"


def card_already_done(filed_label: str | None) -> str:
    return f"这条已经处理过了({filed_label})。" if filed_label else "这条已经处理过了。"


def message_not_found() -> str:
    return "没有找到这条消息,请引用或回复居民的原消息,或写明工单编号,例如“#42 误报”。"


def which_ticket_of(tickets: list[Ticket]) -> str:
    lines = ["您说的是哪个工单?请回复编号:"]
    for t in tickets[:6]:
        lines.append(f"{t.label} {place(t, private=True)} {_category(t)}")
    return "\n".join(lines)


def what_did_you_mean(t: Ticket) -> str:
    return (f"{t.label}({_category(t)} {place(t, private=True)}):没看明白您的意思。"
            "请回复:1 已解决,2 已接单,3 不需要处理(误报),4 只记备注。")


def noted_only(t: Ticket) -> str:
    return f"{t.label} 已记下。"


def transfer_to_whom(t: Ticket) -> str:
    return f"{t.label} 要转给谁?请回复“{t.label} 转 姓名”。"


def nothing_open() -> str:
    return "您手上没有未办结的工单。要操作哪个工单,请写明编号,例如“#42 已解决”。"


def staff_in_group_help() -> str:
    return "要操作工单,请回复通知消息,或写明编号,例如“#42 已解决 换了灯泡”。"


def message_not_handled(where: str, who: str, at: datetime, excerpt: str) -> str:
    return (
        f"⚠️ 有一条消息系统没能处理,请您看一下,需要时直接联系本人:\n"
        f"{where} {who} {at:%m月%d日 %H:%M}:“{excerpt}”"
    )


def press_not_handled(where: str, who: str, at: datetime) -> str:
    return f"⚠️ {where} {who} {at:%m月%d日 %H:%M} 按的一个按钮系统没能处理,请直接处理工单或让本人再按一次。"


def too_fast() -> str:
    return "您发得太快了,消息已记下,请过一会儿再发。有急事请直接打电话。"
