"""What the bot says about binding a chat identity and opening the web desk.

Kept apart from handlers/texts.py only so that two branches can be merged
without a conflict; fold it in at the merge if preferred.
"""

from __future__ import annotations

from handlers.directory import Directory, Role, Staff


def _places(staff: Staff, directory: Directory) -> str:
    names = [directory.grids[g].name for g in staff.grids if g in directory.grids]
    names += [directory.communities[c].name for c in staff.communities if c in directory.communities]
    return "、".join(names)


def welcome(staff: Staff, directory: Directory) -> str:
    """What a newly bound person can do, in their role's words."""
    places = _places(staff, directory)
    web = "发“网页”可以打开工作台,查工单、看日报、导出问题交接单。"
    if staff.role is Role.GRID_WORKER:
        return (
            f"绑定成功!{staff.name}您好,您是{places or '社区'}的网格员。\n"
            "居民在群里反映的问题会私聊通知您:回复“收到”接单;"
            "办好后发“#编号 已解决 说明”;转给同事发“#编号 转 姓名”;"
            "需要上级发“#编号 上报 原因”。\n" + web
        )
    if staff.role is Role.GRID_LEADER:
        who = f"{places}的网格长" if places else "网格长"
    elif staff.role is Role.COMMUNITY_LEADER:
        who = f"{places}的负责人" if places else "社区负责人"
    else:
        who = f"{directory.street_name}的负责人"
    return (
        f"绑定成功!{staff.name}您好,您是{who}。\n"
        "紧急和超时的工单会私聊通知您;每天早上收到日报,也可以随时发“日报”或“周报”。"
        "工单可以直接回复“#编号 收到 / 已解决 / 转 姓名 / 上报 原因”。\n" + web
    )


def already_bound(staff: Staff) -> str:
    return f"这个账号已经绑定为{staff.name},不用再绑定了。"


def code_invalid() -> str:
    return "绑定码不对或已过期。请向社区管理员要一个新的绑定码,再发“绑定 六位数字”。"


def too_many_attempts() -> str:
    return "绑定码错误次数太多,请一小时后再试,或请管理员帮忙。"


def code_in_group() -> str:
    return "绑定码请私聊发给我。刚才的码已在群里公开,已作废,请向管理员重新要一个。"


def identity_taken() -> str:
    return "这个账号已经属于另一位工作人员,不能再绑定。请联系管理员。"


def login_link(url: str, minutes: int) -> str:
    return f"工作台登录链接({minutes}分钟内有效,只能用一次,请勿转发):\n{url}"


def login_in_private_only() -> str:
    return "登录链接只能私聊发送。请私聊我发“网页”。"
