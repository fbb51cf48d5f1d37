"""Export people from a demo database to the CSV that `cadre form` reads. Run inside Django:

    FORMATION_EXPORT=applicants FORMATION_OUT=people.csv cadre shell -c "$(cat export_demo.py)"

FORMATION_EXPORT=applicants: the active applications of the demo network's open intake
(goals, time zone, availability and skills as applied; function, industry, organization
and seniority from the profile), plus OUT.json with the intake's cohort sizes and session
length. FORMATION_EXPORT=members: every profile in the demo
network (used for the large scale run, built with `cadre demo --people 10000`).
"""

import json
import os

from cadre.demo import data
from cadre.engine import safecsv
from cadre.formation.models import Intake
from cadre.networks.models import NetworkMembership, Skill
from cadre.people.models import Profile, ProfileSkill

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
COLUMNS = [
    "name",
    "email",
    "function",
    "industry",
    "organization",
    "seniority",
    "time_zone",
    "availability",
    "skills",
    "goals",
    "must_with",
    "not_with",
]


def availability_text(hours):
    """[9, 10, 11, 33] -> "Mon 09-12; Tue 09-10" (runs of hours within a day)."""
    runs = []
    for h in sorted(set(hours)):
        day, hour = divmod(h, 24)
        if runs and runs[-1][0] == day and runs[-1][2] == hour:
            runs[-1][2] = hour + 1
        else:
            runs.append([day, hour, hour + 1])
    return "; ".join(f"{DAYS[d]} {a:02d}-{b:02d}" for d, a, b in runs)


def row(user, profile, time_zone, availability, skills, goals):
    return {
        "name": user.name,
        "email": user.email,
        "function": profile.function if profile else "",
        "industry": profile.industry if profile else "",
        "organization": profile.organization if profile else "",
        "seniority": profile.seniority if profile else "",
        "time_zone": time_zone,
        "availability": availability_text(availability),
        "skills": "; ".join(f"{slug}:{level}" for slug, level in sorted(skills.items())),
        "goals": "; ".join(g.replace(";", ",") for g in goals),
        "must_with": "",
        "not_with": "",
    }


def export(kind, out):
    rows = []
    if kind == "applicants":
        intake = Intake.objects.get(network__slug=data.NETWORK_SLUG, slug="autumn")
        settings = {
            "min_size": intake.min_size,
            "max_size": intake.max_size,
            "session_minutes": intake.session_minutes,
        }
        with open(f"{out}.json", "w", encoding="utf-8") as fh:
            json.dump(settings, fh)
        for app in intake.active_applications().select_related("user__profile"):
            profile = getattr(app.user, "profile", None)
            rows.append(
                row(app.user, profile, app.time_zone, app.availability, app.skills, app.goals)
            )
    else:
        slugs = dict(
            Skill.objects.filter(network__slug=data.NETWORK_SLUG).values_list("pk", "slug")
        )
        user_ids = NetworkMembership.objects.filter(network__slug=data.NETWORK_SLUG).values_list(
            "user_id", flat=True
        )
        levels = {}
        for profile_id, skill_id, level in ProfileSkill.objects.filter(
            profile__user_id__in=user_ids
        ).values_list("profile_id", "skill_id", "level"):
            levels.setdefault(profile_id, {})[slugs[skill_id]] = level
        for profile in Profile.objects.filter(user_id__in=user_ids).select_related("user"):
            rows.append(
                row(
                    profile.user,
                    profile,
                    profile.time_zone,
                    profile.availability,
                    levels.get(profile.pk, {}),
                    profile.learning_goals,
                )
            )
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = safecsv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows([row[column] for column in COLUMNS] for row in rows)
    print(f"exported {len(rows)} {kind} to {out}")


export(os.environ.get("FORMATION_EXPORT", "applicants"), os.environ["FORMATION_OUT"])
