"""The mentors' search vectors also hold their sectors' French names (accounts.Sector.name_fr):
"énergie" or "energie" finds a mentor in "Energy" whose French name is "Énergie". Every vector is
written again (the document as mentoring.search builds it, frozen here); PostgreSQL only."""

from django.db import migrations

from core.migration_operations import RunSQLOnPostgreSQL

FILL_VECTORS = """
UPDATE mentoring_mentorenrollment AS e SET search_vector = (
    setweight(to_tsvector('mentoring_fr', doc.name) || to_tsvector('mentoring_en', doc.name), 'A')
    || setweight(to_tsvector('mentoring_fr', doc.work) || to_tsvector('mentoring_en', doc.work), 'B')
    || setweight(to_tsvector('mentoring_fr', doc.degree) || to_tsvector('mentoring_en', doc.degree), 'C')
    || setweight(to_tsvector('mentoring_fr', doc.bio) || to_tsvector('mentoring_en', doc.bio), 'D')
)
FROM (
    SELECT e2.id,
        concat_ws(' ', u.first_name, u.last_name) AS name,
        concat_ws(' ', p.position, p.employer, ps.name, ps.name_fr, (
            SELECT string_agg(concat_ws(' ', s.name, s.name_fr), ' ' ORDER BY s.name)
            FROM mentoring_mentorenrollment_sectors es JOIN accounts_sector s ON s.id = es.sector_id
            WHERE es.mentorenrollment_id = e2.id
        )) AS work,
        coalesce(p.programme, '') AS degree,
        coalesce(p.bio, '') AS bio
    FROM mentoring_mentorenrollment e2
    JOIN accounts_user u ON u.id = e2.alumnus_id
    LEFT JOIN accounts_alumnusprofile p ON p.user_id = e2.alumnus_id
    LEFT JOIN accounts_sector ps ON ps.id = p.sector_id
    WHERE TRUE
) AS doc
WHERE e.id = doc.id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_merge_sector_names"),
        ("mentoring", "0012_merge_outbox_indexes"),
    ]

    operations = [RunSQLOnPostgreSQL(FILL_VECTORS, migrations.RunSQL.noop)]
