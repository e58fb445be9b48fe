-- For a database whose tables belong to a superuser (the docker-compose.yml before the
-- two roles): hand the database, the schema and everything in it to meldcode_owner.
-- Run in the meldcode database as a superuser, after creating the roles (README).

DO $$
DECLARE
    item record;
BEGIN
    EXECUTE format('ALTER DATABASE %I OWNER TO meldcode_owner', current_database());
    ALTER SCHEMA public OWNER TO meldcode_owner;
    -- Tables, views and the sequences no column owns (a column's sequence follows its table).
    FOR item IN
        SELECT c.oid::regclass AS name FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                            AND d.deptype IN ('a', 'i'))
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO meldcode_owner', item.name);
    END LOOP;
    -- The trigger functions of the append-only tables.
    FOR item IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO meldcode_owner', item.name);
    END LOOP;
END $$;
