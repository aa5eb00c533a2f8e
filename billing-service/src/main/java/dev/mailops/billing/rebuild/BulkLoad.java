package dev.mailops.billing.rebuild;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's advice for filling tables in bulk ("Populating a Database"): drop the tables' indexes
 * and constraints (other than the primary key of a table others refer to), load, then create them
 * again, which checks them in one pass each instead of row by row. The definitions are read from the
 * catalog at the start, so they are exactly what the migrations made. Runs inside the caller's
 * transaction: if anything fails, the rollback brings back the old tables with their indexes.
 */
final class BulkLoad {

    private final List<String> restore = new ArrayList<>();

    private BulkLoad() {
    }

    /** Drops the indexes and constraints of the tables; {@link #restore} creates them again. */
    static BulkLoad dropIndexes(Connection connection, List<String> tables) throws SQLException {
        BulkLoad load = new BulkLoad();
        List<String> drop = new ArrayList<>();
        String tableList = "'" + String.join("','", tables) + "'";
        try (Statement statement = connection.createStatement()) {
            // Foreign keys first (dropped first, created last), then primary and unique keys not referenced
            // from outside the set, then plain indexes.
            try (ResultSet constraints = statement.executeQuery("""
                    select c.conname, t.relname, pg_get_constraintdef(c.oid)
                      from pg_constraint c join pg_class t on t.oid = c.conrelid
                     where t.relname in (%s) and t.relnamespace = current_schema()::regnamespace
                       and c.contype in ('f', 'p', 'u')
                       and not exists (select 1 from pg_constraint f where f.confrelid = c.conrelid
                                          and f.contype = 'f' and c.contype in ('p', 'u')
                                          and f.conrelid not in (select oid from pg_class where relname in (%s)))
                     order by case c.contype when 'f' then 0 else 1 end""".formatted(tableList, tableList))) {
                List<String> foreignKeys = new ArrayList<>();
                while (constraints.next()) {
                    String table = constraints.getString(2);
                    String name = constraints.getString(1);
                    String definition = constraints.getString(3);
                    drop.add("alter table " + table + " drop constraint " + name);
                    String add = "alter table " + table + " add constraint " + name + " " + definition;
                    if (definition.startsWith("FOREIGN KEY")) {
                        foreignKeys.add(add);
                    } else {
                        load.restore.add(add);
                    }
                }
                load.restore.addAll(foreignKeys);
            }
            try (ResultSet indexes = statement.executeQuery("""
                    select i.indexname, i.indexdef from pg_indexes i
                     where i.tablename in (%s) and i.schemaname = current_schema()
                       and not exists (select 1 from pg_constraint c where c.conname = i.indexname)""".formatted(tableList))) {
                while (indexes.next()) {
                    drop.add("drop index " + indexes.getString(1));
                    load.restore.add(0, indexes.getString(2));
                }
            }
            for (String sql : drop) {
                statement.execute(sql);
            }
        }
        return load;
    }

    void restore(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : restore) {
                statement.execute(sql);
            }
        }
    }
}
