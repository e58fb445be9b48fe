-- The web app's rights: SELECT, INSERT, UPDATE and DELETE on the rows of every table,
-- and the sequences it needs to insert. No TRUNCATE, no TRIGGER, no REFERENCES, no DDL:
-- the append-only triggers stay in force, and only the owner can ALTER its tables.
--
-- Run in the meldcode database as a superuser or as meldcode_owner, after both roles
-- exist (the container does this on its first start; on an existing server see the
-- README). Running it again does no harm.

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO meldcode_app;

-- The tables that exist now ...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO meldcode_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO meldcode_app;

-- ... and every table a later migration (run as meldcode_owner) creates.
ALTER DEFAULT PRIVILEGES FOR ROLE meldcode_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO meldcode_app;
ALTER DEFAULT PRIVILEGES FOR ROLE meldcode_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO meldcode_app;
