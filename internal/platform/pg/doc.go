// Migrations live in pg/migrations as NNN_name.sql, applied in order by tern
// inside one transaction each. A merged migration is never edited: add a new
// one. Files are Go text/templates to tern, so avoid "{{" in SQL.
package pg
