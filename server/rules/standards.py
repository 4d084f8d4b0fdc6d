"""The ten standards (十有) judged from what the system holds; plain functions."""
from datetime import date, timedelta

STANDARDS = [
    ("identity", "统一标识", "Unified identity"), ("name", "名称", "Name"),
    ("office", "办公场地", "Office space"), ("team", "志愿服务队伍", "Volunteer team"),
    ("training", "培训", "Training"), ("content", "服务内容", "Service content"),
    ("records", "服务记录", "Service records"), ("rules", "管理制度", "Rules"),
    ("inspection", "监督检查", "Inspection"), ("stars", "志愿者星级认定和激励回馈", "Stars and rewards"),
]
MET, PARTLY, NOT_MET = "met", "partly", "not"
SCORE = {MET: 1.0, PARTLY: 0.5, NOT_MET: 0.0}


def _from_inspection(facts, key):
    last = facts.get("last_inspection")
    if not last:
        return NOT_MET, ("尚无检查记录", "never inspected")
    verdict = (last.get("checks") or {}).get(key, NOT_MET)
    return verdict, (f"{last['visited_on']} 检查结论", f"inspection of {last['visited_on']}")


def judge(facts, today):
    """Each standard as (key, zh, en, status, evidence); evidence is (zh, en); facts come from the storage layer.

    facts: name_valid, name_error, windows_per_day (max windows a day), active_volunteers,
    trained_recently (active volunteers trained in the last 6 months), untrained_shifts (shifts of the
    last 30 days by volunteers with no training on or before the day), services (count),
    has_windows, open_days, days_recorded, days_full (days with >= 5 h), rules_text (bool),
    last_inspection ({visited_on, checks}), stars_computed (bool), rewards_last_year (int).
    """
    out = {}
    out["identity"] = _from_inspection(facts, "identity")
    out["office"] = _from_inspection(facts, "office")
    out["name"] = (MET, ("名称符合命名规则", "follows the naming rule")) if facts["name_valid"] else \
        (NOT_MET, facts.get("name_error") or ("名称不符合命名规则", "the name does not follow the naming rule"))
    need = 2 * max(1, facts["windows_per_day"]) if facts["has_windows"] else 2
    active = facts["active_volunteers"]
    out["team"] = ((MET if active >= need else PARTLY if active >= 2 else NOT_MET),
                   (f"在册志愿者 {active} 人，需要至少 {need} 人", f"{active} active, {need} needed"))
    trained, total, untrained = facts["trained_recently"], active, facts["untrained_shifts"]
    # Notice 三: trained before serving. Shifts served with no training on record keep it from MET.
    verdict = MET if total and trained == total else PARTLY if trained else NOT_MET
    zh, en = f"近 6 个月受训 {trained}/{total} 人", f"trained in 6 months {trained}/{total}"
    if untrained:
        verdict = PARTLY if verdict == MET else verdict
        zh, en = f"{zh}；近 30 天未培训上岗 {untrained} 班次", f"{en}; {untrained} shifts in 30 days by untrained volunteers"
    evidence = (zh, en)
    out["training"] = (verdict, evidence)
    out["content"] = ((MET if facts["services"] and facts["has_windows"] else PARTLY if facts["services"] else NOT_MET),
                      (f"服务项目 {facts['services']} 项，服务时段{'已' if facts['has_windows'] else '未'}公布",
                       f"{facts['services']} services, opening hours {'' if facts['has_windows'] else 'not '}published"))
    open_days = facts["open_days"]
    share = facts["days_full"] / open_days if open_days else 0
    recorded = facts["days_recorded"] / open_days if open_days else 0
    out["records"] = ((MET if share >= 0.9 else PARTLY if recorded >= 0.5 else NOT_MET),
                      (f"近 30 天开放 {open_days} 天，有记录 {facts['days_recorded']} 天，满 5 小时 {facts['days_full']} 天",
                       f"in 30 days: open {open_days}, with records {facts['days_recorded']}, "
                       f"5 hours or more {facts['days_full']}"))
    out["rules"] = (MET, ("已制定站点制度", "rules set")) if facts["rules_text"] else \
        (PARTLY, ("使用默认制度，未结合站点修订", "default rules only"))
    last = facts.get("last_inspection")
    if last and date.fromisoformat(last["visited_on"]) >= today - timedelta(days=92):
        out["inspection"] = (MET, (f"最近检查 {last['visited_on']}", f"last inspected {last['visited_on']}"))
    elif last:
        out["inspection"] = (PARTLY, (f"最近检查 {last['visited_on']}，已超过一个季度", f"last inspected {last['visited_on']}, over a quarter ago"))
    else:
        out["inspection"] = (NOT_MET, ("尚无检查记录", "never inspected"))
    rewards = facts["rewards_last_year"]
    out["stars"] = ((MET if facts["stars_computed"] and rewards else PARTLY if facts["stars_computed"] else NOT_MET),
                    (f"星级按已审核时长自动计算；近一年激励回馈 {rewards} 次",
                     f"stars from approved hours; {rewards} rewards in the last year"))
    return [(key, zh, en, *out[key]) for key, zh, en in STANDARDS]


def score(judgements):
    """Points out of ten."""
    return sum(SCORE[j[3]] for j in judgements)


def to_fix(judgements):
    """What a station must fix, worst first."""
    return [j for j in judgements if j[3] == NOT_MET] + [j for j in judgements if j[3] == PARTLY]
