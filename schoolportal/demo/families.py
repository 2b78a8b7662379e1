"""The demo school's families: the named ones the README introduces (Jansen, De Vries) and
the generated ones, drawn with the builder's fixed seed from site/demo/names.json.

Every family's e-mail addresses are made from their names; the named families' first names
and surnames are kept out of the generated ones, so they stay easy to find in every list.
"""

import unicodedata
from datetime import date, timedelta

from schoolportal.people.models import (
    Babysitter,
    ClassParent,
    EmergencyContact,
    Guardian,
    Guardianship,
    Pupil,
    Relation,
)

RESERVED_FIRST_NAMES = {"Emma", "Daan", "Sophie"}
DEMO_FIRST_PUPIL_NUMBER = 10000
RESERVED_SURNAMES = {("", "Jansen"), ("de", "Vries")}
CHILDREN_PER_FAMILY = 1.75  # the weights of build_families: 1, 2 or 3 children


def ascii_slug(*parts):
    text = ".".join(p for p in parts if p).replace(" ", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.lower().replace("'", "")


def build_named_families(builder, school, groups):
    """The families the README names, easy to recognise in every list."""
    start_year = groups[1].school_year.start_date.year
    jansen_user = builder.account("ouder.jansen@example.org", "Marieke", "Jansen")
    marieke = builder.get_or_create(
        Guardian,
        email="ouder.jansen@example.org",
        defaults={
            "user": jansen_user,
            "first_name": "Marieke",
            "last_name": "Jansen",
            "street": "Lindelaan",
            "house_number": "7",
            "postcode": "3812 CD",
            "city": "Amersfoort",
            "phone": "033-4567890",
            "mobile_phone": "06-12345678",
            "address_hidden": False,
            "phone_hidden": False,
            "mobile_phone_hidden": False,
            "email_hidden": True,
        },
    )
    peter = builder.get_or_create(
        Guardian,
        email="peter.jansen@example.net",
        defaults={
            "first_name": "Peter",
            "last_name": "Jansen",
            "street": "Lindelaan",
            "house_number": "7",
            "postcode": "3812 CD",
            "city": "Amersfoort",
            "mobile_phone": "06-23456789",
            "address_hidden": False,
            "phone_hidden": False,
            "mobile_phone_hidden": False,
        },
    )
    emma = _pupil(
        builder, school, groups[3], "Emma", "", "Jansen", date(start_year - 6, 3, 14), marieke
    )
    daan = _pupil(
        builder, school, groups[7], "Daan", "", "Jansen", date(start_year - 10, 9, 2), marieke
    )
    for child in (emma, daan):
        _guardianship(builder, marieke, child, Relation.MOTHER)
        _guardianship(builder, peter, child, Relation.FATHER)
    builder.get_or_create(ClassParent, group=groups[3], guardian=marieke)
    builder.get_or_create(
        Babysitter,
        guardian=marieke,
        name="Lisa Hoekman",
        defaults={
            "phone": "06-45678901",
            "notes": "Haalt Emma en Daan op dinsdag en donderdag van school.",
        },
    )
    builder.get_or_create(
        EmergencyContact,
        pupil=emma,
        name="Oma Jansen",
        defaults={"relation": "oma", "phone": "033-4561122"},
    )
    if not emma.allergies:
        emma.allergies = "Pinda's"
        emma.save(update_fields=["allergies"])

    devries_user = builder.account("ouder.devries@example.org", "Annelies", "de Vries")
    annelies = builder.get_or_create(
        Guardian,
        email="ouder.devries@example.org",
        defaults={
            "user": devries_user,
            "first_name": "Annelies",
            "infix": "de",
            "last_name": "Vries",
            "street": "Kastanjehof",
            "house_number": "23",
            "postcode": "3815 KL",
            "city": "Amersfoort",
            "mobile_phone": "06-34567890",
            "address_hidden": True,
            "phone_hidden": True,
            "mobile_phone_hidden": True,
            "email_hidden": True,
        },
    )
    sophie = _pupil(
        builder, school, groups[3], "Sophie", "de", "Vries", date(start_year - 6, 11, 21), annelies
    )
    _guardianship(builder, annelies, sophie, Relation.MOTHER)
    # Sophie's father lives elsewhere and has no parental authority: he reads what the
    # school tells parents, and where a button would act for Sophie he reads why not.
    rob = builder.get_or_create(
        Guardian,
        email="rob.terpstra@example.org",
        defaults={
            "user": builder.account("rob.terpstra@example.org", "Rob", "Terpstra"),
            "first_name": "Rob",
            "last_name": "Terpstra",
            "street": "Thorbeckegracht",
            "house_number": "12",
            "postcode": "8011 VM",
            "city": "Zwolle",
        },
    )
    builder.get_or_create(
        Guardianship,
        guardian=rob,
        pupil=sophie,
        defaults={"relation": Relation.FATHER, "has_parental_authority": False},
    )


def _pupil(builder, school, group, first, infix, last, born, address_from):
    # Numbered in the order they are made, as a pupil administration would: the sample
    # export in site/demo/ carries the same numbers.
    builder.pupils_made = getattr(builder, "pupils_made", 0) + 1
    return builder.get_or_create(
        Pupil,
        school=school,
        first_name=first,
        infix=infix,
        last_name=last,
        date_of_birth=born,
        defaults={
            "pupil_number": str(DEMO_FIRST_PUPIL_NUMBER + builder.pupils_made),
            "group": group,
            "street": address_from.street,
            "house_number": address_from.house_number,
            "postcode": address_from.postcode,
            "city": address_from.city,
        },
    )


def _guardianship(builder, guardian, pupil, relation):
    return builder.get_or_create(
        Guardianship, guardian=guardian, pupil=pupil, defaults={"relation": relation}
    )


def build_families(builder, school, groups):
    """``builder.families`` families of one or two parents and one to three children, spread
    so every group fills evenly; each group gets a class parent."""
    rng = builder.rng
    start_year = groups[1].school_year.start_date.year
    # Counted in memory, not read from the database, so a second run makes the same choices.
    sizes = dict.fromkeys(groups, 0)
    sizes[3], sizes[7] = 2, 1  # the named families
    group_sizes = {group.pk: 0 for level in groups for group in builder.parallel_groups[level]}
    group_sizes[groups[3].pk], group_sizes[groups[7].pk] = 2, 1
    for number in range(1, builder.families + 1):
        infix, surname = rng.choice(builder.surnames)
        kind = rng.choices(["couple", "separated", "single"], weights=[70, 15, 15])[0]
        children = rng.choices([1, 2, 3], weights=[40, 45, 15])[0]
        first_parent = _generated_guardian(
            builder, number, "a", rng.choice(builder.names["women"]), infix, surname
        )
        parents = [(first_parent, Relation.MOTHER)]
        if kind != "single":
            second = _generated_guardian(
                builder,
                number,
                "b",
                rng.choice(builder.names["men"]),
                infix,
                surname,
                same_address_as=first_parent if kind == "couple" else None,
            )
            parents.append((second, Relation.FATHER))
        levels = sorted(range(1, 9), key=lambda level: (sizes[level], rng.random()))[:children]
        for level in levels:
            girl = rng.random() < 0.5
            first = rng.choice(builder.names["girls" if girl else "boys"])
            while first in RESERVED_FIRST_NAMES:
                first = rng.choice(builder.names["girls" if girl else "boys"])
            age = level + 4
            born = date(start_year - age, 10, 1) + timedelta(days=rng.randrange(365))
            group = min(builder.parallel_groups[level], key=lambda g: group_sizes[g.pk])
            child = _pupil(builder, school, group, first, infix, surname, born, first_parent)
            sizes[level] += 1
            group_sizes[group.pk] += 1
            for parent, relation in parents:
                _guardianship(builder, parent, child, relation)
    for group in (g for level in groups for g in builder.parallel_groups[level]):
        if not group.class_parents.exists():
            candidate = (
                Guardian.objects.filter(guardianships__pupil__group=group)
                .order_by("last_name", "first_name")
                .first()
            )
            if candidate:
                builder.get_or_create(ClassParent, group=group, guardian=candidate)


def _generated_guardian(builder, number, role, first, infix, surname, same_address_as=None):
    rng = builder.rng
    email = f"{ascii_slug(first, infix, surname)}.{number}{role}@example.net"
    if same_address_as is not None:
        address = {
            "street": same_address_as.street,
            "house_number": same_address_as.house_number,
            "postcode": same_address_as.postcode,
            "city": same_address_as.city,
        }
    else:
        address = {
            "street": rng.choice(builder.names["streets"]),
            "house_number": str(rng.randint(1, 180)),
            "postcode": rng.choice(builder.names["postcodes"]),
            "city": "Amersfoort",
        }
    shares = rng.random() < 0.55
    return builder.get_or_create(
        Guardian,
        email=email,
        defaults={
            "first_name": first,
            "infix": infix,
            "last_name": surname,
            "mobile_phone": f"06-{rng.randint(10000000, 99999999)}",
            "address_hidden": not shares,
            "phone_hidden": rng.random() < 0.5,
            "mobile_phone_hidden": rng.random() < 0.5,
            "email_hidden": rng.random() < 0.8,
            **address,
        },
    )
