"""The practice game on the command line: `tutor review` (what is due) and `tutor stats`.

Both read the profile and never change it; `--now` sets the clock, so scheduling can be tried
out (`tutor check ... --now` records an attempt at a given time). Exit 0, or 1 when the save
cannot be read (the reason on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from tutor.commands import common
from tutor.commands.output import printable

if TYPE_CHECKING:
    from tutor.practice.service import Practice, Stats


def register(subparsers, parent: argparse.ArgumentParser) -> None:
    review = subparsers.add_parser(
        "review", parents=[parent], help="what is due for review",
        description="List the review cards due now (one per exercise, with its due time), longest overdue "
                    "first, and what today's review session would serve.",
    )
    review.add_argument("--json", action="store_true",
                        help="print one JSON object (each due card with the variant seed a review serves next)")
    common.now_option(review, "list what is due")
    review.set_defaults(func=run_review)

    stats = subparsers.add_parser(
        "stats", parents=[parent], help="XP, accuracy, reviews ahead, mastery, streak, achievements",
        description="XP per day over the last 30 days, accuracy and mastery per part, reviews due per day "
                    "over the next 14 days, the streak, the XP total and the achievements (earned, with "
                    "their date, or how far along).",
    )
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    common.now_option(stats, "compute the stats")
    stats.set_defaults(func=run_stats)


def _practice(args: argparse.Namespace, seeds: bool = False) -> tuple[Practice, dict[str, int]] | None:
    """The game at `--now` and, with `seeds`, the variant a review would serve next for each due
    card (0: as written)."""
    from tutor.session import Session

    session = Session.open(common.lessons_dir(args), common.save_dir(args), common.profile_name(args))
    try:
        if session.load_issue is not None:
            print(printable(f"tutor {args.command}: {session.load_issue.message}"), file=sys.stderr)
            return None
        game = session.practice(common.now(args) or datetime.now(timezone.utc))
        next_seeds = {}
        for exercise_id, _due in game.due() if seeds else ():
            found = session.find_exercise(exercise_id)
            if found is not None:
                next_seeds[exercise_id] = session.review_seed(found[2], game.seeds.get(exercise_id, ()))
        return game, next_seeds
    finally:
        session.store.close(backup=False)


def run_review(args: argparse.Namespace) -> int:
    found = _practice(args, seeds=args.json)
    if found is None:
        return 1
    game, seeds = found
    due = game.due()
    queue = game.queue()
    if args.json:
        print(json.dumps({
            "now": game.now.isoformat(),
            "due": [{"exercise": exercise, "due": when.isoformat(), "seed": seeds.get(exercise)}
                    for exercise, when in due],
            "session": queue,
            "daily_size": game.settings.daily_reviews,
        }, indent=2, ensure_ascii=False))
        return 0
    if not due:
        upcoming = sorted(game.deck.cards.items(), key=lambda item: item[1].due)
        later = f"; next: {upcoming[0][0]} at {_local(upcoming[0][1].due)}" if upcoming else ""
        print(f"Nothing due{later}.")
        return 0
    print(f"{len(due)} due; today's session serves {len(queue)} (daily size {game.settings.daily_reviews}):")
    for exercise, when in due:
        mark = "*" if exercise in queue else " "
        print(f" {mark} {exercise:<32} due {_local(when)}")
    return 0


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def run_stats(args: argparse.Namespace) -> int:
    found = _practice(args)
    if found is None:
        return 1
    stats = found[0].stats()
    if args.json:
        print(json.dumps(stats.to_json(), indent=2, ensure_ascii=False))
        return 0
    print("\n".join(stats_lines(stats)))
    return 0


def stats_lines(stats: Stats) -> list[str]:
    from tutor.practice.achievements import shown_in_order

    lines = [f"XP: {stats.xp_total} in all, {stats.xp_today} today (goal {stats.daily_goal} a day)"]
    if stats.streak is not None:
        lines.append(f"Streak: {stats.streak.length} day{'s' if stats.streak.length != 1 else ''}, "
                     f"{stats.streak.freezes} freeze{'s' if stats.streak.freezes != 1 else ''} in hand")
    lines.append(f"Reviews due now: {stats.due_now}")
    active = [(d, xp) for d, xp in stats.xp_per_day if xp]
    lines.append("XP per day (last 30 days): " + (", ".join(f"{d:%m-%d} {xp}" for d, xp in active) or "none yet"))
    coming = [(d, n) for d, n in stats.due_per_day if n]
    lines.append("Reviews due (next 14 days): " + (", ".join(f"{d:%m-%d} {n}" for d, n in coming) or "none"))
    for part in stats.parts:
        accuracy = "no answers yet" if part.accuracy is None else f"{part.accuracy:.0%} of {part.answered} answers right"
        levels = ", ".join(f"{n} {level}" for level, n in part.mastery.items() if n)
        lines.append(f"Part {part.part}, {part.title}: {accuracy}; lessons: {levels}")
    earned = sum(a.earned is not None for a in stats.achievements)
    lines.append(f"Achievements ({earned} of {len(stats.achievements)}):")
    lines.extend(f"  {a.line()}" for a in shown_in_order(stats.achievements))
    return lines
