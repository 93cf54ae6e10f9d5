"""The LINE Official Account: chat intake of general complaints (line-bot-sdk v3).

``POST /line/webhook`` (webhook.py) runs the conversation (dialog.py) one event at a time;
what the bot says is rendered when it is sent (messages.py); ``flask --app wsgi line
simulate`` and ``line richmenu`` are in cli.py. The rules, transactions and transport live in
casework (casework.general.linechat, casework.notify.line).

Without LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN the webhook is not served.
"""

import logging

from flask import Blueprint, Flask

bp = Blueprint("lineoa", __name__, url_prefix="/line")

from lineoa import webhook  # noqa: E402,F401  (routes register on import)


def init_app(app: Flask, *, routes: bool) -> None:
    """The outbox's LINE transport and renderers and the ``line`` commands always; the webhook
    when this surface serves public routes and LINE is configured."""
    from casework.extensions import csrf
    from lineoa import cli, messages

    logging.getLogger("linebot").setLevel(logging.WARNING)  # the SDK logs event types at INFO
    messages.init_app()
    cli.init_app(app)
    configured = app.config.get("LINE_CHANNEL_SECRET") and app.config.get(
        "LINE_CHANNEL_ACCESS_TOKEN"
    )
    if routes and configured:
        # line-bot-sdk's webhook models (~26 MB a worker) are loaded here, only where the webhook
        # is served, so that its first event does not wait for them.
        from linebot.v3 import webhook  # noqa: F401

        from lineoa import dialog  # noqa: F401

        app.register_blueprint(bp)
        csrf.exempt(bp)
