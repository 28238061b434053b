"""Chinese labels for entity types and fact kinds, shared by pages and exports."""

ENTITY_TYPE_LABELS = {
    "company": "企业",
    "government": "政府机构",
    "research": "科研机构",
    "park": "园区",
    "facility": "科学装置",
    "association": "协会联盟",
    "person": "人物",
    "position": "职务",
    "region": "地区",
    "industry": "产业/产品/技术",
    "policy": "政策文件",
}

FACT_KIND_LABELS = {
    "holds_position": "任职",
    "located_in": "位于",
    "investment_project": "投资项目",
    "financing": "融资",
    "launch": "产品发布",
    "milestone": "里程碑",
    "indicator": "指标",
    "count": "数量",
}

ROLE_LABELS = {
    "person": "人物",
    "position": "职务",
    "org": "机构",
    "role": "角色",
    "subject": "主体",
    "place": "地点",
    "investor": "投资方",
    "project": "项目",
    "amount": "金额",
    "capacity": "产能",
    "output": "预期产出",
    "stage": "阶段",
    "date": "时间",
    "company": "企业",
    "round": "轮次",
    "investors": "投资机构",
    "product": "产品",
    "first": "首创",
    "event": "事件",
    "metric": "指标",
    "value": "数值",
    "unit": "单位",
    "year": "年份",
    "qualifier": "限定",
    "target": "目标值",
    "category": "类别",
    "number": "数量",
    "expected": "预计",
}


def display_args(args: dict) -> list[tuple[str, str]]:
    """Fact arguments as (Chinese label, text) pairs for people: amounts as written
    (650亿元, not 65000000000.0), booleans as 是/否, helper keys hidden."""
    out = []
    for key, value in args.items():
        if key.endswith(("_text", "_arg")) or value in (None, "", []):
            continue
        written = args.get(f"{key}_text")
        if written:
            value = written
        elif isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        out.append((ROLE_LABELS.get(key, key), str(value)))
    return out
