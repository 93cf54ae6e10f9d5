"""The baseline: a bare Flask + SQLAlchemy app with one route that inserts a row and one that
selects a row by primary key, served by the same gunicorn settings as Rongrian and on the same
database (``BENCH_DATABASE_URL``). Not part of the product.

    gunicorn --config gunicorn.conf.py bench.bare:app
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, abort, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Row(db.Model):
    __tablename__ = "bench_bare"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


def create_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url or os.environ["BENCH_DATABASE_URL"]
    db.init_app(app)

    @app.post("/bare/insert")
    def insert():
        data = request.get_json()
        row = Row(
            subject=data["subject"],
            details=data["details"],
            created_at=datetime.now(UTC).replace(tzinfo=None),
        )
        db.session.add(row)
        db.session.flush()  # INSERT … RETURNING id: the id is known before the commit
        created = row.id
        db.session.commit()
        return jsonify({"id": created}), 201

    @app.post("/bare/select")
    def select_one():
        row = db.session.get(Row, int(request.get_json()["id"]))
        if row is None:
            abort(404)
        return jsonify({"id": row.id, "subject": row.subject, "details": row.details})

    return app


app = create_app() if os.environ.get("BENCH_DATABASE_URL") else None
