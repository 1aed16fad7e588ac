"""The university police's Community Map in the demo: campus areas and groups.

Student Village, where most students rent, lies inside the city's University
Hill, so both agencies answer for it; the medical campus sits in Eastgate.
"""

from __future__ import annotations

from roundtable.demo.organisations import (
    BUSINESS,
    CAMPUS,
    CRI,
    EDU,
    FAITH,
    GOV,
    GROUP,
    HEALTH,
    HOUSING,
    JUSTICE,
    LABOUR,
    NEU,
    NGO,
    OTHER,
    OVERSIGHT,
    SUP,
    UNK,
    WORKS,
    OrgSpec,
)

CAMPUS_AREAS = ("Main Campus", "Medical Campus", "Student Village")
# Campus area slug → city area slug covering the same ground.
OVERLAPS = {"student-village": "university-hill", "medical-campus": "eastgate"}

UNIVERSITY: list[OrgSpec] = [
    OrgSpec("RSU Office of the Dean of Students", GOV, (EDU,), SUP, areas=("main-campus",)),
    OrgSpec(
        "RSU Counseling and Psychological Services", GOV, (HEALTH,), SUP, areas=("main-campus",)
    ),
    OrgSpec("RSU Student Health Center", GOV, (HEALTH,), NEU, areas=("main-campus",)),
    OrgSpec(
        "RSU Housing and Residence Life",
        GOV,
        (HOUSING, EDU),
        SUP,
        areas=("student-village", "main-campus"),
    ),
    OrgSpec("RSU Parking and Transportation Services", GOV, (WORKS,), NEU),
    OrgSpec("RSU Facilities Management", GOV, (WORKS, HOUSING), UNK),
    OrgSpec("RSU Office of Equity and Title IX", GOV, (JUSTICE, EDU), NEU, history=(UNK,)),
    OrgSpec("RSU Career Center", GOV, (LABOUR,), SUP),
    OrgSpec(
        "RSU Medical Center Emergency Department", GOV, (HEALTH,), NEU, areas=("medical-campus",)
    ),
    OrgSpec(
        "RSU Student Government Association",
        CAMPUS,
        (EDU, JUSTICE),
        NEU,
        note="Passed a senate resolution asking for unarmed campus safety escorts.",
        history=(UNK, CRI),
    ),
    OrgSpec("RSU Graduate Student Senate", CAMPUS, (EDU, LABOUR), UNK),
    OrgSpec(
        "RSU Residence Hall Association", CAMPUS, (HOUSING, EDU), SUP, areas=("student-village",)
    ),
    OrgSpec("RSU Interfraternity Council", CAMPUS, (EDU,), UNK),
    OrgSpec("RSU Panhellenic Council", CAMPUS, (EDU, HEALTH), NEU),
    OrgSpec("RSU National Pan-Hellenic Council", CAMPUS, (EDU, JUSTICE), NEU),
    OrgSpec(
        "RSU Black Student Union",
        CAMPUS,
        (JUSTICE, EDU),
        CRI,
        note="Members report being asked for ID in their own residence halls.",
        history=(UNK,),
    ),
    OrgSpec("RSU Latinx Student Alliance", CAMPUS, (EDU,), UNK, spanish=True),
    OrgSpec("RSU Students for Sensible Drug Policy", CAMPUS, (HEALTH, JUSTICE), CRI),
    OrgSpec(
        "RSU Disabled Students Union",
        CAMPUS,
        (HEALTH,),
        CRI,
        note="Says officers are not trained to deal with deaf and autistic students.",
    ),
    OrgSpec("RSU Faculty Senate", CAMPUS, (EDU, LABOUR), NEU),
    OrgSpec("RSU Staff Council", CAMPUS, (LABOUR,), SUP),
    OrgSpec(
        "RSU Graduate Workers Union",
        CAMPUS,
        (LABOUR,),
        CRI,
        note="Opposes police presence at picket lines.",
    ),
    OrgSpec("RSU Cycling Club", CAMPUS, (WORKS,), UNK),
    OrgSpec("RSU International Student Association", CAMPUS, (EDU,), UNK),
    OrgSpec("RSU Queer Student Alliance", CAMPUS, (HEALTH, JUSTICE), CRI, history=(NEU,)),
    OrgSpec("Active Minds at RSU", NGO, (HEALTH,), SUP),
    OrgSpec("It's On Us RSU", NGO, (JUSTICE, HEALTH), SUP),
    OrgSpec("NAACP RSU College Chapter", NGO, (JUSTICE,), CRI),
    OrgSpec(
        "Student Village Tenant Collective",
        GROUP,
        (HOUSING,),
        CRI,
        areas=("student-village",),
        note="Says landlords call police on parties instead of fixing locks and lights.",
    ),
    OrgSpec(
        "Student Village Landlords Association",
        BUSINESS,
        (HOUSING,),
        NEU,
        areas=("student-village",),
    ),
    OrgSpec(
        "Student Village Business Association", BUSINESS, (LABOUR,), SUP, areas=("student-village",)
    ),
    OrgSpec("RSU Campus Ministry Council", FAITH, (EDU, HEALTH), SUP),
    OrgSpec("Newman Center at RSU", FAITH, (EDU,), SUP, areas=("student-village",)),
    OrgSpec("RSU Police Community Advisory Committee", OVERSIGHT, (JUSTICE,), NEU),
    OrgSpec("Students for Police Transparency at RSU", OVERSIGHT, (JUSTICE,), CRI, history=(UNK,)),
    OrgSpec("Prof. Alan Whitaker", OTHER, (JUSTICE,), NEU, person_role="Professor of criminology"),
    OrgSpec(
        "Gloria Reyes",
        CAMPUS,
        (HOUSING,),
        SUP,
        areas=("student-village",),
        person_role="Resident director, Student Village",
        spanish=True,
    ),
]

# Who refers many others (by name).
UNIVERSITY_HUBS = {
    "RSU Student Government Association": 6,
    "RSU Office of the Dean of Students": 3,
}
