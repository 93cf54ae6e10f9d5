"""Every row a tip owns gets a random id (casework.models.rowids): none is left numbered in the
order of writing, which would date it between complaints."""

from casework.extensions import db
from casework.models import rowids


def test_every_tip_table_of_a_case_takes_random_ids():
    left = [
        mapper.class_.__name__
        for mapper in db.Model.registry.mappers
        if mapper.class_.__table__.name.startswith("tip_")
        and "case_id" in mapper.class_.__table__.c
        and mapper.class_ not in rowids.TIP_ONLY
    ]
    assert left == []
