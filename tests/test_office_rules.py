"""Who sees what at the office, and what is masked: the pure rules in handlers/office.py."""

from __future__ import annotations

import pytest

from handlers.office import (
    can_manage,
    in_scope,
    mask_name,
    mask_phone,
    may_see_personal,
    redact,
    scope_of,
)


@pytest.fixture
def d(settings):  # type: ignore[no-untyped-def]
    return settings.directory()


@pytest.mark.parametrize(("text", "shown"), [
    ("3号楼601室灯坏了 电话13812345678", "3号楼***室灯坏了 电话138****5678"),
    ("打我手机 138-1234-5678 或家里 022-23456789", "打我手机 138****5678 或家里 ****"),
    ("我住3-2-601 水管爆了", "我住3-2-*** 水管爆了"),
    ("5号楼1单元502房 暖气不热", "5号楼1单元***房 暖气不热"),
    ("6号楼电动车在楼道里充电", "6号楼电动车在楼道里充电"),
])
def test_phone_numbers_and_rooms_are_masked_buildings_stay(text, shown):
    assert redact(text) == shown


def test_names_and_phones_keep_only_a_hint():
    assert mask_name("张阿姨") == "张**" and mask_name("") == "居民"
    assert mask_phone("13812345678") == "138****5678" and mask_phone("12345") == "****"
    assert mask_phone(None) == ""


def test_scopes_follow_the_roles(d):
    worker, leader = scope_of(d.staff["wang_fang"], d), scope_of(d.staff["zhang_wei"], d)
    assert in_scope(worker, "JL", "JL-1", None) and not in_scope(worker, "JL", "JL-2", "liu_yang")
    assert in_scope(worker, "JL", "JL-2", "wang_fang"), "handed to her"
    assert in_scope(scope_of(d.staff["li_na"], d), "JL", "JL-3", "chen_jing"), "standing in for 陈静 on leave"
    assert in_scope(scope_of(d.staff["li_na"], d), "JL", None, None), "the duty worker's grid-less tickets"
    assert all(in_scope(leader, "JL", g, None) for g in ("JL-1", "JL-2", "JL-3"))
    assert not in_scope(leader, "WH", "WH-1", None)
    assert in_scope(scope_of(d.staff["li_hongmei"], d), "JL", None, None)
    assert in_scope(scope_of(d.staff["zheng_guoqiang"], d), "WH", "WH-2", None)


def test_personal_data_needs_the_right_to_act_and_a_role_with_the_right(d):
    assert may_see_personal(d.staff["wang_fang"], d, "JL", "JL-1", "wang_fang")
    assert may_see_personal(d.staff["wang_fang"], d, "JL", "JL-2", "liu_yang"), "his backup may act"
    assert not may_see_personal(d.staff["wang_fang"], d, "JL", "JL-3", "chen_jing")
    assert may_see_personal(d.staff["li_hongmei"], d, "JL", "JL-2", "liu_yang")
    assert not may_see_personal(d.staff["zheng_guoqiang"], d, "JL", "JL-1", "wang_fang")


def test_who_may_issue_binding_codes_for_whom(d):
    s = d.staff
    assert can_manage(s["zheng_guoqiang"], s["zhou_li"], d)
    assert can_manage(s["li_hongmei"], s["wang_fang"], d) and not can_manage(s["li_hongmei"], s["zhao_min"], d)
    assert can_manage(s["zhang_wei"], s["liu_yang"], d) and not can_manage(s["zhang_wei"], s["li_hongmei"], d)
    assert can_manage(s["wang_fang"], s["wang_fang"], d) and not can_manage(s["wang_fang"], s["liu_yang"], d)


def test_a_bad_web_setting_names_its_key(tmp_path):
    from bot.settings import BUNDLED_CONFIG, ConfigError, load_settings

    config = tmp_path / "config.yaml"
    config.write_text(BUNDLED_CONFIG.read_text(encoding="utf-8") + "\nweb:\n  base_url: desk.example\n"
                      "  personal_data_roles: [mayor]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    assert "web.base_url" in str(error.value) and "web.personal_data_roles[0]" in str(error.value)
