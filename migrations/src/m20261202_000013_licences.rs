//! 电子证照: the departments' signing keys (`licence_key`: the public key, the secret sealed
//! with SM4-GCM under the server's master key; a retired key stays to verify what it signed),
//! the licences issued (`licence`: the signed file, who holds it, and its 注销 / 撤销), and two
//! guide elements of the result (`item_version.result_validity_months`,
//! `result_licence_fields`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{add_columns, drop_columns, drop_tables, index, refers_to, table};
use crate::tables::{Application, ItemVersion, Licence, LicenceKey};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            ItemVersion::Table,
            [
                integer_null(ItemVersion::ResultValidityMonths).to_owned(),
                text(ItemVersion::ResultLicenceFields)
                    .default("[]")
                    .to_owned(),
            ],
        )
        .await?;

        use LicenceKey as K;
        let columns = [
            pk_auto(K::Id),
            string_uniq(K::KeyId),
            string(K::Department),
            text(K::PublicKey),
            text(K::SealedSecret),
            timestamp_with_time_zone(K::CreatedAt),
            timestamp_with_time_zone_null(K::RetiredAt),
        ];
        m.create_table(table(K::Table, columns).to_owned()).await?;
        index(m, "idx_licence_key_department", K::Table, [K::Department]).await?;

        use Licence as L;
        let columns = [
            pk_auto(L::Id),
            string_uniq(L::Number),
            string(L::CheckCode),
            integer(L::ApplicationId),
            string(L::ItemCode),
            string(L::Department),
            string(L::HolderKind),
            string(L::HolderName),
            string(L::HolderIdNumber),
            string(L::Name),
            string(L::IssuedOn),
            string_null(L::ValidUntil),
            text(L::File),
            string_null(L::RevokedKind),
            string_null(L::RevokedOn),
            text_null(L::RevokeReason),
            string_null(L::RevokedBy),
            timestamp_with_time_zone(L::CreatedAt),
        ];
        m.create_table(
            table(L::Table, columns)
                .foreign_key(&mut refers_to(
                    "fk_licence_application",
                    (L::Table, L::ApplicationId),
                    (Application::Table, Application::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "idx_licence_application", L::Table, [L::ApplicationId]).await?;
        index(m, "idx_licence_department", L::Table, [L::Department]).await?;
        index(m, "idx_licence_item", L::Table, [L::ItemCode]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [Licence::Table.into_iden(), LicenceKey::Table.into_iden()],
        )
        .await?;
        drop_columns(
            m,
            ItemVersion::Table,
            [
                ItemVersion::ResultValidityMonths,
                ItemVersion::ResultLicenceFields,
            ],
        )
        .await
    }
}
