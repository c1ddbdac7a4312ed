"""Everything the bot says, in one place: short, plain Chinese.

Texts for a whole group never carry a phone number, room or resident's name;
only a staff member's private notification does.
"""

from __future__ import annotations

from datetime import datetime

from handlers.categories import CATEGORY_LABELS, URGENCY_LABELS, Urgency
from handlers.tickets import STATUS_LABELS, Ticket

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
            f"已登记 {t.label}({_category(t)}),已同时通知{who}、网格长和社区负责人。"
        )
    return (
        f"已收到,登记为 {t.label}({_category(t)})。由{who}负责,{expectation}回复。"
        f"查进度请发“{t.label} 进度”。"
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
    lines.append(f"回复“收到”接单;办好后发“{t.label} 已解决 说明”;需上报发“{t.label} 上报 原因”。")
    return "\n".join(lines)


def emergency_alert(t: Ticket, worker_name: str | None, hotline: str | None) -> str:
    return (
        f"🚨【紧急 {t.label}】{_category(t)} 位置:{place(t, private=True)}\n"
        f"负责网格员:{worker_name or '未指定'}。{hotline or ''}\n"
        "请立即联系处置。"
    )


def households_update(t: Ticket) -> str:
    return f"{t.label} 又有居民反映同一问题,现共{t.households}户。"


def acknowledged_for_group(t: Ticket, worker_name: str) -> str:
    return f"{t.label} 网格员{worker_name}已接单,正在处理。"


def acknowledged_for_worker(t: Ticket) -> str:
    return f"已接单 {t.label}。办好后发“{t.label} 已解决 说明”。"


def resolved_for_group(t: Ticket, note: str) -> str:
    text = f"{t.label}({_category(t)})已解决。"
    if note:
        text += f"处理情况:{note[:200]}"
    return text


def rating_request(t: Ticket) -> str:
    return (
        f"{t.label} 已处理完毕,请您评价:回复 1 满意,2 基本满意,3 不满意。"
    )


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
        "可用指令:#编号 收到 / 已解决 说明 / 转 姓名 / 上报 原因 / 备注 内容 / 进度;"
        "或 /ack 42、/resolve 42 说明。"
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
    return f"{t.label} 已处理完毕,还请反映人评价:回复 1 满意,2 基本满意,3 不满意。"


def digest_not_for_you() -> str:
    return "日报发给网格长、社区和街道负责人。"


def merged_for_group(source: Ticket, target: Ticket) -> str:
    return f"{source.label} 与 {target.label} 是同一个问题,已合并,一起处理。查进度请发“{target.label} 进度”。"


def merged_for_staff(source: Ticket, target: Ticket) -> str:
    return f"{source.label} 已并入 {target.label},现共{target.households}户反映。"


def merge_target_unknown() -> str:
    return "请写明并入哪个工单,例如“#43 合并 #42”。"


def message_not_handled(where: str, who: str, at: datetime, excerpt: str) -> str:
    return (
        f"⚠️ 有一条消息系统没能处理,请您看一下,需要时直接联系本人:\n"
        f"{where} {who} {at:%m月%d日 %H:%M}:“{excerpt}”"
    )


def press_not_handled(where: str, who: str, at: datetime) -> str:
    return f"⚠️ {where} {who} {at:%m月%d日 %H:%M} 按的一个按钮系统没能处理,请直接处理工单或让本人再按一次。"


def too_fast() -> str:
    return "您发得太快了,消息已记下,请过一会儿再发。有急事请直接打电话。"
