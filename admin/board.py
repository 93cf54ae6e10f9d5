"""The SLA board and the working group's report: by department, overdue cases first."""

from __future__ import annotations

from collections import defaultdict

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from admin import bp
from admin.guard import require
from casework import access, clock, lifecycle, sla
from casework.extensions import db
from casework.models import Department
from casework.tenancy import current_org

ORDER = {sla.OVERDUE: 0, sla.DUE_SOON: 1, sla.ON_TIME: 2, sla.PAUSED: 3, sla.DONE: 4}
SATISFIED = 4  # 4 or 5 out of 5 counts as satisfied (the plans' target is at least 80%)


@bp.get("/board")
@require("board.view")
def board():
    org = current_org()
    today = clock.today()
    cal = sla.work_calendar(org)
    departments = {
        d.id: d for d in db.session.scalars(select(Department).filter_by(organization_id=org.id))
    }
    groups: dict[int | None, list] = defaultdict(list)
    stats: dict[int | None, dict] = defaultdict(lambda: defaultdict(int))
    ratings: dict[int | None, list[int]] = defaultdict(list)
    for case in db.session.scalars(access.visible_cases(current_user)):
        due = sla.due_state(case, org, today, cal)
        bucket = lifecycle.bucket(case.channel, case.status)
        s = stats[case.department_id]
        s["total"] += 1
        s[bucket] += 1
        s[due] += 1
        if case.explained_at:
            s["explained"] += 1
        if case.rating is not None:
            ratings[case.department_id].append(case.rating)
        if due != sla.DONE:
            groups[case.department_id].append((ORDER[due], case.due_date, case, due))
    for rows in groups.values():
        rows.sort(key=lambda r: (r[0], r[1], r[2].id))
    summary = []
    for dept_id, s in stats.items():
        rated = ratings[dept_id]
        satisfied = sum(1 for r in rated if r >= SATISFIED)
        summary.append(
            {
                "department": departments.get(dept_id),
                "stats": s,
                "rated": len(rated),
                "satisfied_pct": round(100 * satisfied / len(rated)) if rated else None,
                "average": round(sum(rated) / len(rated), 2) if rated else None,
            }
        )
    summary.sort(key=lambda r: (-r["stats"][sla.OVERDUE], -r["stats"]["total"]))
    return render_template(
        "admin/board.html",
        summary=summary,
        groups=[(departments.get(k), v) for k, v in groups.items()],
        today=today,
        order=[row["department"] for row in summary],
    )
