"""``flask --app wsgi line …``: the LINE Official Account's commands.

- ``line simulate``: chat with the bot without LINE (see lineoa.simulator); lines typed are
  messages, ``/help`` lists the rest.
- ``line richmenu``: draw the rich menu and make it the account's default (``--output FILE``
  only writes the picture).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from casework.extensions import end_session
from casework.notify import line as line_transport
from lineoa import richmenu
from lineoa.simulator import SAMPLE_PLACE, FakeLine, Simulator, describe, simulated_user

line_cli = AppGroup("line", help="The LINE Official Account.")

HELP = """Type a message and press Enter. Also:
  #N                 tap button N of the last answer
  /photo [FILE]      send a photo (a sample JPEG with camera and GPS data if no FILE)
  /photos N          send N photos at once (an image set)
  /location [LAT LNG [ADDRESS]]   share a location
  /sticker  /file    send a sticker / a file
  /follow  /unfollow add or block the account
  /group TEXT        a message in a group (ignored)
  /unknown           an event of a type LINE may add one day
  /redeliver         LINE sends the last event again
  /badsig            an event with a wrong signature
  /outbox            send what the back office queued for you (status pushes)
  /quit"""


@line_cli.command("simulate")
@click.option("--user", default="demo", show_default=True, help="Name of the simulated user.")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th", show_default=True)
def simulate(user: str, lang: str) -> None:
    """Chat with the bot on this machine: signed events go to the app's own webhook, a local
    fake of LINE's API captures the answers, and the outbox runs for this user only."""
    from rongrian import create_app

    with FakeLine(lang) as fake:
        app = create_app(Simulator.config(dict(current_app.config), fake), surface="public")
        sim = Simulator(app, fake, simulated_user(user), app.config["LINE_CHANNEL_SECRET"])
        click.echo(f"LINE simulator: user {user} ({lang}); /help lists the commands.")
        try:
            with app.app_context():
                known = line_transport.chat_of(_org_id(app), sim.user) is not None
            if known:  # back again: what the back office queued meanwhile
                _show(sim, 200)
            else:  # a new friend of the account
                _show(sim, sim.post(sim.event("follow", follow={"isUnblocked": False})))
            for raw in sys.stdin:
                if not _step(sim, raw.strip()):
                    break
        finally:
            with app.app_context():
                end_session(dispose=True)


def _org_id(app: Flask) -> int:
    from rongrian.tenancy import current_org

    with app.test_request_context():
        return current_org().id


def _step(sim: Simulator, typed: str) -> bool:
    if not typed:
        return True
    click.echo(f"you> {typed}")
    if typed in ("/quit", "/exit"):
        return False
    if typed == "/help":
        click.echo(HELP)
        return True
    if typed.startswith("#"):
        return _tap(sim, typed[1:])
    if not typed.startswith("/"):
        _show(sim, sim.post(sim.text(typed)))
        return True
    words = shlex.split(typed)
    command, args = words[0], words[1:]
    if command == "/photo":
        data = Path(args[0]).read_bytes() if args else None
        _show(sim, sim.post(sim.photo(data)))
    elif command == "/photos":
        n = int(args[0]) if args else 2
        set_id = "set" + sim._id()
        events = [
            sim.photo(image_set={"id": set_id, "index": i, "total": n}) for i in range(1, n + 1)
        ]
        _show(sim, sim.post(*events))
    elif command == "/location":
        lat, lng, address = SAMPLE_PLACE
        if len(args) >= 2:
            lat, lng, address = float(args[0]), float(args[1]), " ".join(args[2:])
        _show(sim, sim.post(sim.location(lat, lng, address)))
    elif command == "/sticker":
        message = {
            "id": sim._id(),
            "type": "sticker",
            "packageId": "446",
            "stickerId": "1988",
            "stickerResourceType": "STATIC",
            "quoteToken": "q",
        }
        _show(sim, sim.post(sim.event("message", message=message)))
    elif command == "/file":
        message = {"id": sim._id(), "type": "file", "fileName": "a.zip", "fileSize": 10}
        _show(sim, sim.post(sim.event("message", message=message)))
    elif command == "/follow":
        _show(sim, sim.post(sim.event("follow", follow={"isUnblocked": True})))
    elif command == "/unfollow":
        _show(sim, sim.post(sim.event("unfollow")))
    elif command == "/group":
        source = {"type": "group", "groupId": "C" + "0" * 32, "userId": sim.user}
        message = {"id": sim._id(), "type": "text", "text": " ".join(args), "quoteToken": "q"}
        _show(sim, sim.post(sim.event("message", source, message=message)))
    elif command == "/unknown":
        _show(sim, sim.post(sim.event("somethingNew", thing={"x": 1})))
    elif command == "/redeliver":
        _show(sim, sim.redeliver())
    elif command == "/badsig":
        _show(sim, sim.post(sim.text("forged"), signature="AAAA"))
    elif command == "/outbox":
        _show(sim, 200)
    else:
        click.echo("unknown command; /help lists them")
    return True


def _tap(sim: Simulator, number: str) -> bool:
    try:
        action = sim.actions[int(number) - 1]
    except (ValueError, IndexError):
        click.echo("no such button")
        return True
    kind = action.get("type")
    if kind == "postback":
        if action.get("displayText"):
            click.echo(f"you> ({action['displayText']})")
        _show(sim, sim.post(sim.postback(action["data"])))
    elif kind == "message":
        _show(sim, sim.post(sim.text(action["text"])))
    elif kind in ("camera", "cameraRoll"):
        _show(sim, sim.post(sim.photo()))
    elif kind == "location":
        _show(sim, sim.post(sim.location(*SAMPLE_PLACE)))
    elif kind == "uri":
        click.echo(f"(opens {action['uri']})")
    return True


def _show(sim: Simulator, status: int) -> None:
    if status != 200:
        click.echo(f"     (webhook answered {status})")
    said = sim.run_outbox()
    if not said:
        return
    sim.actions = []
    for sent in said:
        for message in sent["messages"]:
            lines, actions = describe(message)
            prefix = "bot> " if sent["how"] == "reply" else "push> "
            for n, text in enumerate(lines):
                click.echo((prefix if n == 0 else "     ") + text)
            sim.actions += actions
    if sim.actions:
        labels = (a.get("label") or a.get("type") for a in sim.actions)
        click.echo("     " + "  ".join(f"[{i}] {label}" for i, label in enumerate(labels, 1)))


@line_cli.command("richmenu")
@click.option("--output", type=click.Path(dir_okay=False), help="Only write the PNG here.")
@click.option("--font", type=click.Path(exists=True, dir_okay=False), help="A Thai TTF font.")
def richmenu_command(output: str | None, font: str | None) -> None:
    """Draw the rich menu (file, track, my cases, report corruption, contact) and make it the
    default menu of the LINE account (LINE_CHANNEL_ACCESS_TOKEN)."""
    try:
        png = richmenu.build_image(Path(font) if font else None)
    except richmenu.NoThaiFont as error:
        raise click.ClickException(str(error)) from None
    if output:
        Path(output).write_bytes(png)
        click.echo(f"wrote {output} ({len(png) // 1024} KB)")
        return
    if not line_transport.configured():
        raise click.ClickException(
            "set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN (or use --output FILE)"
        )
    try:
        menu_id = richmenu.publish(png)
    except line_transport.LineApiError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"rich menu {menu_id} is now the default")


def init_app(app: Flask) -> None:
    app.cli.add_command(line_cli)
