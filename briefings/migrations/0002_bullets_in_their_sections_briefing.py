"""A section's bullets belong to the section's briefing, whatever writes them (a form, a bulk
write, a script): a bullet naming one briefing and a section of another is refused.

PostgreSQL: a foreign key from the bullet's (section, briefing) pair to the section's, which
also carries a section moved to another briefing over to its bullets. SQLite has no such
constraint added to a table, so triggers do the same. Django rebuilds an SQLite table, without
its triggers, when a later migration alters it: such a migration must create them again
(tests/publishing/test_item_parts.py fails if it does not).
"""

from django.db import migrations

POSTGRESQL = """
ALTER TABLE briefings_bullet ADD CONSTRAINT bullet_in_its_sections_briefing
    FOREIGN KEY (section_id, briefing_id) REFERENCES briefings_section (id, briefing_id)
    ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED;
"""
POSTGRESQL_REVERSE = "ALTER TABLE briefings_bullet DROP CONSTRAINT bullet_in_its_sections_briefing;"

REFUSE_OTHER_BRIEFING = """
WHEN NEW.section_id IS NOT NULL AND NEW.briefing_id IS NOT
    (SELECT briefing_id FROM briefings_section WHERE id = NEW.section_id)
BEGIN
    SELECT RAISE(ABORT, 'a bullet belongs to its section''s briefing');
END;
"""
SQLITE = [
    "CREATE TRIGGER bullet_in_its_sections_briefing_insert BEFORE INSERT ON briefings_bullet "
    + REFUSE_OTHER_BRIEFING,
    "CREATE TRIGGER bullet_in_its_sections_briefing_update "
    "BEFORE UPDATE OF section_id, briefing_id ON briefings_bullet " + REFUSE_OTHER_BRIEFING,
    """CREATE TRIGGER section_takes_its_bullets_along AFTER UPDATE OF briefing_id
    ON briefings_section BEGIN
        UPDATE briefings_bullet SET briefing_id = NEW.briefing_id WHERE section_id = NEW.id;
    END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER bullet_in_its_sections_briefing_insert;",
    "DROP TRIGGER bullet_in_its_sections_briefing_update;",
    "DROP TRIGGER section_takes_its_bullets_along;",
]


def add(apps, schema_editor):
    run(schema_editor, POSTGRESQL, SQLITE)


def remove(apps, schema_editor):
    run(schema_editor, POSTGRESQL_REVERSE, SQLITE_REVERSE)


def run(schema_editor, postgresql: str, sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [postgresql], "sqlite": sqlite}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No rule keeping bullets in their briefing for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0001_initial"),
    ]

    # The pair (id, briefing) it refers to is unique by the constraint section_in_its_briefing.
    operations = [migrations.RunPython(add, remove)]
