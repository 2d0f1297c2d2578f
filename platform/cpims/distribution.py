"""How every table would be placed on a Citus cluster (issue 22; docs/scale-out.md), and the
rules that placement needs, checked against the migrated database
(tests/test_distribution_rules.py).

Workspace schemas become distributed schemas (``citus_schema_distribute``): each moves whole
to one node. Public tables are of three kinds, listed here and nowhere else:

- REFERENCE_TABLES: copied to every node (geography, code lists, accounts and organisations),
  so a workspace's queries can join them on its own node;
- DISTRIBUTED_TABLES: the person registry, split across nodes by person (table -> column);
- every other public table stays on the coordinator (a Citus local table).

The rules (``distribution_offenders``): every public table is classified; a foreign key runs
only between tables that Citus can check together (below) unless it is listed in
DROPPED_FOREIGN_KEYS, with who checks it instead; a unique key of a distributed table holds its
distribution column unless listed in UNIQUE_KEYS_TO_REWORK; a workspace table has a 64-bit key
and no foreign key out of its schema except into a reference table.
"""

from __future__ import annotations

from dataclasses import dataclass

REFERENCE_TABLES = frozenset(
    {
        # geography and places (small, read by every workspace)
        "shared_registry_county",
        "shared_registry_subcounty",
        "shared_registry_ward",
        "shared_registry_facility",
        "shared_registry_school",
        "shared_registry_directoryentry",
        # the national code lists
        "lists_listitem",
        # accounts and organisations (named on every workspace's pages)
        "tenants_user",
        "tenants_organisation",
        "django_content_type",
        "auth_permission",
        "auth_group",
    }
)
DISTRIBUTED_TABLES = {
    "shared_registry_person": "id",
    "shared_registry_personidentifier": "person_id",
    "shared_registry_personlink": "person_id",
    "shared_registry_residence": "person_id",
    "shared_registry_siblinglink": "person_a_id",
    "shared_registry_potentialduplicate": "person_a_id",
    "shared_registry_personmerge": "survivor_id",
}
# Foreign keys Citus cannot check (between two persons' rows, or from a coordinator table
# into the registry): dropped when the registry is distributed; the service that writes the
# row checks the person exists (and people are merged, never deleted).
DROPPED_FOREIGN_KEYS = {
    "shared_registry_person.merged_into_id": "shared_registry.services (merge)",
    "shared_registry_siblinglink.person_b_id": "shared_registry.services (sibling links)",
    "shared_registry_potentialduplicate.person_b_id": "shared_registry.duplicates",
    "shared_registry_personmerge.merged_id": "shared_registry.services (merge)",
    "intake_intakereport.person_id": "intake.services (linking a report to a person)",
    "sharing_consent.person_id": "sharing.services (consent)",
    "sharing_organisationreferral.person_id": "sharing.services (referrals)",
    "sharing_ovctransfer.person_id": "sharing.services (OVC transfers)",
    "sharing_ovctransfer.proposed_caregiver_id": "sharing.services (OVC transfers)",
    "sharing_vacancyapplication.person_id": "sharing.services (vacancies)",
}
# Unique keys of distributed tables without the distribution column: Citus refuses them.
# Each becomes what is named here before the registry is distributed (docs/scale-out.md).
UNIQUE_KEYS_TO_REWORK = {
    "shared_registry_person_cpims_id_key": "a lookup table by CPIMS ID on the coordinator",
    "shared_registry_person_uuid_key": "a lookup table by uuid on the coordinator",
    "shared_registry_personidentifier_pkey": "primary key (person_id, id)",
    "registry_identifier_unique": "a lookup table by (type, value), distributed by value",
    "shared_registry_personlink_pkey": "primary key (person_id, id)",
    "shared_registry_residence_pkey": "primary key (person_id, id)",
    "registry_residence_per_admission": "checked by the admission service in its workspace",
    "shared_registry_siblinglink_pkey": "primary key (person_a_id, id)",
    "shared_registry_potentialduplicate_pkey": "primary key (person_a_id, id)",
    "shared_registry_personmerge_pkey": "primary key (survivor_id, id)",
}
# Workspace tables whose key is not 64-bit, and why that is allowed.
NARROW_WORKSPACE_KEYS = {
    "auditlog_logentry": "django-auditlog's own table (32-bit id): widened before it nears 2^31",
}
SYSTEM_SCHEMAS = ("public", "information_schema")

TABLES_SQL = """
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT LIKE 'pg\\_%%' AND n.nspname <> 'information_schema'
"""
FOREIGN_KEYS_SQL = """
SELECT k.conname, sn.nspname, s.relname,
       ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS u(n, i)
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i),
       tn.nspname, t.relname,
       ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY AS u(n, i)
             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)
FROM pg_constraint k
JOIN pg_class s ON s.oid = k.conrelid JOIN pg_namespace sn ON sn.oid = s.relnamespace
JOIN pg_class t ON t.oid = k.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
WHERE k.contype = 'f' AND sn.nspname NOT LIKE 'pg\\_%%'
"""
UNIQUE_KEYS_SQL = """
SELECT c.relname, i.relname,
       ARRAY(SELECT a.attname FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum = ANY (x.indkey) AND a.attnum > 0)
FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE x.indisunique AND n.nspname = 'public'
"""
KEY_TYPES_SQL = """
SELECT n.nspname, c.relname,
       ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_constraint k
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
             WHERE k.conrelid = c.oid AND k.contype = 'p')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT LIKE 'pg\\_%%' AND n.nspname NOT IN ('public', 'information_schema')
"""
COLUMN_TYPE_SQL = """
SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relname = %s AND a.attname = %s AND NOT a.attisdropped
"""


@dataclass(frozen=True)
class ForeignKey:
    """One foreign-key constraint, as the catalogue has it."""

    name: str
    schema: str
    table: str
    columns: tuple[str, ...]
    target_schema: str
    target_table: str
    target_columns: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"{self.schema}.{self.table}({', '.join(self.columns)}) -> "
            f"{self.target_schema}.{self.target_table}"
        )


def kind_of(table: str) -> str:
    """reference, distributed or coordinator: where a public table goes on a cluster."""
    if table in REFERENCE_TABLES:
        return "reference"
    if table in DISTRIBUTED_TABLES:
        return "distributed"
    return "coordinator"


def _public_key_offence(key: ForeignKey) -> str | None:
    """Why Citus could not check this foreign key between two public tables (None: it can)."""
    source, target = kind_of(key.table), kind_of(key.target_table)
    if target == "reference":
        return None  # every node holds a reference table
    if source == "reference":
        return f"{key}: a reference table may only point at reference tables"
    if source == "distributed" and target == "distributed":
        colocated = key.columns == (DISTRIBUTED_TABLES[key.table],) and key.target_columns == (
            DISTRIBUTED_TABLES[key.target_table],
        )
        return None if colocated else f"{key}: not on both tables' distribution column"
    if source == target == "coordinator":
        return None
    return f"{key}: between a distributed table and a coordinator table"


def public_offenders(cursor, keys: list[ForeignKey]) -> list[str]:
    """The broken rules among public tables."""
    cursor.execute(TABLES_SQL)
    public = {table for schema, table in cursor.fetchall() if schema == "public"}
    offenders = [
        f"public.{t} is listed in cpims.distribution but does not exist"
        for t in sorted((REFERENCE_TABLES | DISTRIBUTED_TABLES.keys()) - public)
    ]
    offenders += [
        f"public.{t}: listed both as a reference and a distributed table"
        for t in sorted(REFERENCE_TABLES & DISTRIBUTED_TABLES.keys())
    ]
    for table, column in sorted(DISTRIBUTED_TABLES.items()):
        cursor.execute(COLUMN_TYPE_SQL, [table, column])
        found = cursor.fetchone()
        if table in public and (found is None or found[0] != "bigint"):
            offenders.append(f"public.{table}.{column}: the distribution column is not bigint")
    for key in keys:
        if key.schema != "public" or key.target_schema != "public":
            continue
        label = f"{key.table}.{key.columns[0]}"
        offence = _public_key_offence(key)
        if offence and label not in DROPPED_FOREIGN_KEYS:
            offenders.append(offence)
        if not offence and label in DROPPED_FOREIGN_KEYS:
            offenders.append(f"{key}: listed as dropped, but Citus can check it: keep it")
    cursor.execute(UNIQUE_KEYS_SQL)
    unique_keys = cursor.fetchall()
    offenders += [
        f"unique key {index} is listed to rework but does not exist"
        for index in sorted(UNIQUE_KEYS_TO_REWORK.keys() - {row[1] for row in unique_keys})
    ]
    for table, index, columns in unique_keys:
        column = DISTRIBUTED_TABLES.get(table)
        if column and column not in columns and index not in UNIQUE_KEYS_TO_REWORK:
            offenders.append(
                f"public.{table} unique key {index} ({', '.join(columns)}) lacks the "
                f"distribution column {column}"
            )
    return offenders


def workspace_offenders(cursor, keys: list[ForeignKey]) -> list[str]:
    """The broken rules in workspace schemas (every schema but public and the system's)."""
    offenders = []
    for key in keys:
        if key.schema in SYSTEM_SCHEMAS or key.schema == key.target_schema:
            continue
        if key.target_schema == "public" and key.target_table in REFERENCE_TABLES:
            continue
        offenders.append(f"{key}: a workspace table points out of its schema")
    cursor.execute(KEY_TYPES_SQL)
    for schema, table, types in cursor.fetchall():
        if not types:
            offenders.append(f"{schema}.{table} has no primary key")
        elif any(t != "bigint" for t in types) and table not in NARROW_WORKSPACE_KEYS:
            offenders.append(f"{schema}.{table}: key of {', '.join(types)}, not bigint")
    return offenders


def distribution_offenders(cursor) -> list[str]:
    """Every rule of distribution the database breaks, one sentence each (empty: none)."""
    cursor.execute(FOREIGN_KEYS_SQL)
    keys = [
        ForeignKey(name, schema, table, tuple(cols), t_schema, t_table, tuple(t_cols))
        for name, schema, table, cols, t_schema, t_table, t_cols in cursor.fetchall()
    ]
    return public_offenders(cursor, keys) + workspace_offenders(cursor, keys)
