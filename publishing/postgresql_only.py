"""Migration steps that exist only on PostgreSQL (triggers, index settings, storage)."""


def on_postgresql(statements: list[str]):
    """A RunPython function running `statements` on PostgreSQL and nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run
