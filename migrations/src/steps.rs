//! The statements every migration writes, said once: a table from its columns, a foreign key,
//! an index, columns added to (and dropped from) an existing table, tables dropped in order.
//!
//! They only build sea-query statements, so the SQL a migration runs is the same as if it
//! spelled each statement out (SQLite and PostgreSQL alike).

use sea_orm_migration::prelude::*;

/// `CREATE TABLE name (columns…)`; add foreign keys with `.foreign_key(&mut …)`.
pub fn table(
    name: impl IntoIden,
    columns: impl IntoIterator<Item = ColumnDef>,
) -> TableCreateStatement {
    let mut statement = Table::create();
    statement.table(name);
    for column in columns {
        statement.col(column);
    }
    statement
}

/// A foreign key from `from.0.from.1` to `to.0.to.1`; the referring rows must go first.
pub fn refers_to(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

/// A foreign key whose rows are deleted with the row they refer to (a case's history,
/// notices, materials and messages go with the case).
pub fn owned_by(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    refers_to(name, from, to)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// `CREATE INDEX name ON table (columns…)`.
pub async fn index<C: IntoIden>(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = C>,
) -> Result<(), DbErr> {
    m.create_index(index_on(name, table, columns)).await
}

/// `CREATE UNIQUE INDEX name ON table (columns…)`.
pub async fn unique_index<C: IntoIden>(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = C>,
) -> Result<(), DbErr> {
    m.create_index(index_on(name, table, columns).unique().to_owned())
        .await
}

fn index_on<C: IntoIden>(
    name: &str,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = C>,
) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(column.into_iden());
    }
    statement
}

/// `DROP INDEX name ON table`.
pub async fn drop_index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
) -> Result<(), DbErr> {
    m.drop_index(Index::drop().name(name).table(table).to_owned())
        .await
}

/// Adds columns to an existing table, one statement each (SQLite alters one column per
/// statement).
pub async fn add_columns(
    m: &SchemaManager<'_>,
    table: impl IntoIden + Copy,
    columns: impl IntoIterator<Item = ColumnDef>,
) -> Result<(), DbErr> {
    for column in columns {
        m.alter_table(Table::alter().table(table).add_column(column).to_owned())
            .await?;
    }
    Ok(())
}

/// Drops columns from a table, one statement each.
pub async fn drop_columns<C: IntoIden>(
    m: &SchemaManager<'_>,
    table: impl IntoIden + Copy,
    columns: impl IntoIterator<Item = C>,
) -> Result<(), DbErr> {
    for column in columns {
        m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
            .await?;
    }
    Ok(())
}

/// Drops tables in the order given (those that refer to others first).
pub async fn drop_tables(
    m: &SchemaManager<'_>,
    tables: impl IntoIterator<Item = DynIden>,
) -> Result<(), DbErr> {
    for table in tables {
        m.drop_table(Table::drop().table(table).to_owned()).await?;
    }
    Ok(())
}
