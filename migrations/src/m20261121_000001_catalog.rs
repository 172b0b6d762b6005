//! The service catalog: departments, items with their guide versions, materials, form fields,
//! bundles with their versions, and a log of catalog imports.
//!
//! A guide is never edited in place: a changed item gets a new `item_version` row with its own
//! materials and fields, because a case keeps pointing at the version it was filed under.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{drop_tables, index, refers_to, table, unique_index};
use crate::tables::{
    Bundle, BundleItem, BundleVersion, CatalogImport, Department, FormField, ItemVersion, Material,
    ServiceItem,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Bundle as B;
        use BundleVersion as BV;
        use FormField as F;
        use ItemVersion as V;
        use Material as M;
        use ServiceItem as S;
        m.create_table(table(
            Department::Table,
            [
                pk_auto(Department::Id),
                string_uniq(Department::Code),
                string(Department::Name),
                string_null(Department::Phone),
                string_null(Department::Address),
                timestamp_with_time_zone(Department::UpdatedAt),
            ],
        ))
        .await?;

        m.create_table(table(
            S::Table,
            [
                pk_auto(S::Id),
                string_uniq(S::Code),
                integer(S::CurrentVersion),
                integer(S::CurrentVersionId),
                string(S::Name),
                string(S::Department),
                string(S::ItemType),
                string(S::CaseKind),
                string(S::OnlineDepth),
                timestamp_with_time_zone(S::UpdatedAt),
            ],
        ))
        .await?;
        index(m, "idx_service_item_department", S::Table, [S::Department]).await?;

        m.create_table(
            table(
                V::Table,
                [
                    pk_auto(V::Id),
                    integer(V::ItemId),
                    integer(V::Version),
                    string(V::ContentHash),
                    timestamp_with_time_zone(V::ImportedAt),
                    string(V::Name),
                    string(V::ItemType),
                    string(V::Department),
                    text(V::CoDepartments),
                    text(V::LegalBasis),
                    text(V::Conditions),
                    string(V::CaseKind),
                    integer(V::StatutoryLimitDays),
                    integer(V::PromisedLimitDays),
                    boolean(V::AcceptOnReceipt),
                    text(V::Steps),
                    text(V::Location),
                    text(V::Hours),
                    string(V::ConsultPhone),
                    string(V::SupervisePhone),
                    boolean(V::FeeCharged),
                    text_null(V::FeeBasis),
                    string(V::ResultName),
                    boolean(V::ResultElectronic),
                    text(V::DeliveryMethods),
                    string(V::OnlineDepth),
                    integer(V::Visits),
                ],
            )
            .foreign_key(&mut refers_to(
                "fk_item_version_item",
                (V::Table, V::ItemId),
                (S::Table, S::Id),
            ))
            .to_owned(),
        )
        .await?;
        let item_version = [V::ItemId, V::Version];
        unique_index(m, "idx_item_version_item_version", V::Table, item_version).await?;

        m.create_table(
            table(
                M::Table,
                [
                    pk_auto(M::Id),
                    integer(M::ItemVersionId),
                    integer(M::Position),
                    string(M::Code),
                    string(M::Name),
                    string(M::Source),
                    string(M::Form),
                    integer(M::Quantity),
                    text(M::Specification),
                    boolean(M::Required),
                    boolean(M::Deferrable),
                    text(M::FileTypes),
                    integer(M::MaxSizeMb),
                    text_null(M::TemplateUrl),
                    text_null(M::Notes),
                ],
            )
            .foreign_key(&mut refers_to(
                "fk_material_item_version",
                (M::Table, M::ItemVersionId),
                (V::Table, V::Id),
            ))
            .to_owned(),
        )
        .await?;
        let version_code = [M::ItemVersionId, M::Code];
        unique_index(m, "idx_material_version_code", M::Table, version_code).await?;

        m.create_table(
            table(
                F::Table,
                [
                    pk_auto(F::Id),
                    integer(F::ItemVersionId),
                    integer(F::Position),
                    string(F::Key),
                    string(F::Label),
                    string(F::FieldType),
                    boolean(F::Required),
                    text_null(F::Help),
                    string_null(F::Unit),
                    integer_null(F::MinLength),
                    integer_null(F::MaxLength),
                    double_null(F::MinValue),
                    double_null(F::MaxValue),
                    text_null(F::Pattern),
                    text_null(F::PatternMessage),
                    text(F::Options),
                ],
            )
            .foreign_key(&mut refers_to(
                "fk_form_field_item_version",
                (F::Table, F::ItemVersionId),
                (V::Table, V::Id),
            ))
            .to_owned(),
        )
        .await?;
        let version_key = [F::ItemVersionId, F::Key];
        unique_index(m, "idx_form_field_version_key", F::Table, version_key).await?;

        m.create_table(table(
            B::Table,
            [
                pk_auto(B::Id),
                string_uniq(B::Code),
                integer(B::CurrentVersion),
                string(B::ContentHash),
                string(B::Name),
                text(B::Description),
                string_null(B::Stage),
                string(B::LeadDepartment),
                integer(B::PromisedLimitDays),
                timestamp_with_time_zone(B::UpdatedAt),
            ],
        ))
        .await?;

        m.create_table(
            table(
                BundleItem::Table,
                [
                    pk_auto(BundleItem::Id),
                    integer(BundleItem::BundleId),
                    integer(BundleItem::Position),
                    string(BundleItem::ItemCode),
                ],
            )
            .foreign_key(&mut refers_to(
                "fk_bundle_item_bundle",
                (BundleItem::Table, BundleItem::BundleId),
                (B::Table, B::Id),
            ))
            .to_owned(),
        )
        .await?;

        m.create_table(
            table(
                BV::Table,
                [
                    pk_auto(BV::Id),
                    integer(BV::BundleId),
                    integer(BV::Version),
                    string(BV::ContentHash),
                    text(BV::Snapshot),
                    timestamp_with_time_zone(BV::ImportedAt),
                ],
            )
            .foreign_key(&mut refers_to(
                "fk_bundle_version_bundle",
                (BV::Table, BV::BundleId),
                (B::Table, B::Id),
            ))
            .to_owned(),
        )
        .await?;
        let bundle_version = [BV::BundleId, BV::Version];
        unique_index(
            m,
            "idx_bundle_version_bundle_version",
            BV::Table,
            bundle_version,
        )
        .await?;

        m.create_table(table(
            CatalogImport::Table,
            [
                pk_auto(CatalogImport::Id),
                timestamp_with_time_zone(CatalogImport::ImportedAt),
                string(CatalogImport::Source),
                string(CatalogImport::FileSha256),
                text(CatalogImport::Summary),
            ],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                CatalogImport::Table.into_iden(),
                BundleVersion::Table.into_iden(),
                BundleItem::Table.into_iden(),
                Bundle::Table.into_iden(),
                FormField::Table.into_iden(),
                Material::Table.into_iden(),
                ItemVersion::Table.into_iden(),
                ServiceItem::Table.into_iden(),
                Department::Table.into_iden(),
            ],
        )
        .await
    }
}
