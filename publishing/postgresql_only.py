"""Migration steps that exist on one database only: PostgreSQL's triggers, index settings and
storage, and SQLite's full-text index with its triggers."""


def on_vendor(vendor: str, statements: list[str]):
    """A RunPython function running `statements` on the database `vendor` and nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == vendor:
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


def on_postgresql(statements: list[str]):
    return on_vendor("postgresql", statements)


def on_sqlite(statements: list[str]):
    return on_vendor("sqlite", statements)
