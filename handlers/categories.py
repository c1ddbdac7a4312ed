"""Category codes and urgency levels, as in shared/DOMAIN.md."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    SANITATION = "sanitation"
    PLUMBING = "plumbing"
    HOUSING = "housing"
    ELEVATOR = "elevator"
    HEATING = "heating"
    POWER_LIGHTING = "power_lighting"
    GAS = "gas"
    FIRE_SAFETY = "fire_safety"
    TRAFFIC_PARKING = "traffic_parking"
    NEIGHBOR_NOISE = "neighbor_noise"
    PUBLIC_FACILITIES = "public_facilities"
    SECURITY = "security"
    ASSISTANCE = "assistance"
    CONSULTATION = "consultation"
    OTHER = "other"


CATEGORY_LABELS: dict[Category, str] = {
    Category.SANITATION: "环境卫生",
    Category.PLUMBING: "给排水",
    Category.HOUSING: "房屋修缮",
    Category.ELEVATOR: "电梯",
    Category.HEATING: "供暖",
    Category.POWER_LIGHTING: "供电照明",
    Category.GAS: "燃气",
    Category.FIRE_SAFETY: "消防安全",
    Category.TRAFFIC_PARKING: "交通停车",
    Category.NEIGHBOR_NOISE: "邻里纠纷/噪音",
    Category.PUBLIC_FACILITIES: "公共设施",
    Category.SECURITY: "治安",
    Category.ASSISTANCE: "帮扶救助",
    Category.CONSULTATION: "政策咨询",
    Category.OTHER: "其他",
}


class Urgency(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    NORMAL = "normal"


URGENCY_LABELS: dict[Urgency, str] = {
    Urgency.EMERGENCY: "紧急",
    Urgency.URGENT: "加急",
    Urgency.NORMAL: "一般",
}


class EmergencyKind(StrEnum):
    """Which hotline advice an emergency receipt carries (config ``hotlines``)."""

    FALL = "fall"  # someone fell / is ill / unresponsive → 120
    FIRE = "fire"  # fire, smoke → 119
    GAS = "gas"  # gas smell/leak → 燃气抢修
    TRAPPED = "trapped"  # trapped in a lift → 电梯救援 / 119
    COLLAPSE = "collapse"  # structure about to fall
    ELECTRIC = "electric"  # sparking, electric shock
    CRIME = "crime"  # violence, break-in in progress → 110
    FLOOD = "flood"  # water pouring in, flooding
    OTHER = "other"
