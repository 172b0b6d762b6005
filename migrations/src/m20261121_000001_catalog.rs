//! The service catalog: departments, items with their guide versions, materials, form fields,
//! bundles with their versions, and a log of catalog imports.
//!
//! A guide is never edited in place: a changed item gets a new `item_version` row with its own
//! materials and fields, because a case keeps pointing at the version it was filed under.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Department::Table)
                .col(pk_auto(Department::Id))
                .col(string_uniq(Department::Code))
                .col(string(Department::Name))
                .col(string_null(Department::Phone))
                .col(string_null(Department::Address))
                .col(timestamp_with_time_zone(Department::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ServiceItem::Table)
                .col(pk_auto(ServiceItem::Id))
                .col(string_uniq(ServiceItem::Code))
                .col(integer(ServiceItem::CurrentVersion))
                .col(integer(ServiceItem::CurrentVersionId))
                .col(string(ServiceItem::Name))
                .col(string(ServiceItem::Department))
                .col(string(ServiceItem::ItemType))
                .col(string(ServiceItem::CaseKind))
                .col(string(ServiceItem::OnlineDepth))
                .col(timestamp_with_time_zone(ServiceItem::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_service_item_department")
                .table(ServiceItem::Table)
                .col(ServiceItem::Department)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ItemVersion::Table)
                .col(pk_auto(ItemVersion::Id))
                .col(integer(ItemVersion::ItemId))
                .col(integer(ItemVersion::Version))
                .col(string(ItemVersion::ContentHash))
                .col(timestamp_with_time_zone(ItemVersion::ImportedAt))
                .col(string(ItemVersion::Name))
                .col(string(ItemVersion::ItemType))
                .col(string(ItemVersion::Department))
                .col(text(ItemVersion::CoDepartments))
                .col(text(ItemVersion::LegalBasis))
                .col(text(ItemVersion::Conditions))
                .col(string(ItemVersion::CaseKind))
                .col(integer(ItemVersion::StatutoryLimitDays))
                .col(integer(ItemVersion::PromisedLimitDays))
                .col(boolean(ItemVersion::AcceptOnReceipt))
                .col(text(ItemVersion::Steps))
                .col(text(ItemVersion::Location))
                .col(text(ItemVersion::Hours))
                .col(string(ItemVersion::ConsultPhone))
                .col(string(ItemVersion::SupervisePhone))
                .col(boolean(ItemVersion::FeeCharged))
                .col(text_null(ItemVersion::FeeBasis))
                .col(string(ItemVersion::ResultName))
                .col(boolean(ItemVersion::ResultElectronic))
                .col(text(ItemVersion::DeliveryMethods))
                .col(string(ItemVersion::OnlineDepth))
                .col(integer(ItemVersion::Visits))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_item_version_item")
                        .from(ItemVersion::Table, ItemVersion::ItemId)
                        .to(ServiceItem::Table, ServiceItem::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_item_version_item_version")
                .table(ItemVersion::Table)
                .col(ItemVersion::ItemId)
                .col(ItemVersion::Version)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Material::Table)
                .col(pk_auto(Material::Id))
                .col(integer(Material::ItemVersionId))
                .col(integer(Material::Position))
                .col(string(Material::Code))
                .col(string(Material::Name))
                .col(string(Material::Source))
                .col(string(Material::Form))
                .col(integer(Material::Quantity))
                .col(text(Material::Specification))
                .col(boolean(Material::Required))
                .col(boolean(Material::Deferrable))
                .col(text(Material::FileTypes))
                .col(integer(Material::MaxSizeMb))
                .col(text_null(Material::TemplateUrl))
                .col(text_null(Material::Notes))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_material_item_version")
                        .from(Material::Table, Material::ItemVersionId)
                        .to(ItemVersion::Table, ItemVersion::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_material_version_code")
                .table(Material::Table)
                .col(Material::ItemVersionId)
                .col(Material::Code)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(FormField::Table)
                .col(pk_auto(FormField::Id))
                .col(integer(FormField::ItemVersionId))
                .col(integer(FormField::Position))
                .col(string(FormField::Key))
                .col(string(FormField::Label))
                .col(string(FormField::FieldType))
                .col(boolean(FormField::Required))
                .col(text_null(FormField::Help))
                .col(string_null(FormField::Unit))
                .col(integer_null(FormField::MinLength))
                .col(integer_null(FormField::MaxLength))
                .col(double_null(FormField::MinValue))
                .col(double_null(FormField::MaxValue))
                .col(text_null(FormField::Pattern))
                .col(text_null(FormField::PatternMessage))
                .col(text(FormField::Options))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_form_field_item_version")
                        .from(FormField::Table, FormField::ItemVersionId)
                        .to(ItemVersion::Table, ItemVersion::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_form_field_version_key")
                .table(FormField::Table)
                .col(FormField::ItemVersionId)
                .col(FormField::Key)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Bundle::Table)
                .col(pk_auto(Bundle::Id))
                .col(string_uniq(Bundle::Code))
                .col(integer(Bundle::CurrentVersion))
                .col(string(Bundle::ContentHash))
                .col(string(Bundle::Name))
                .col(text(Bundle::Description))
                .col(string_null(Bundle::Stage))
                .col(string(Bundle::LeadDepartment))
                .col(integer(Bundle::PromisedLimitDays))
                .col(timestamp_with_time_zone(Bundle::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(BundleItem::Table)
                .col(pk_auto(BundleItem::Id))
                .col(integer(BundleItem::BundleId))
                .col(integer(BundleItem::Position))
                .col(string(BundleItem::ItemCode))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_bundle_item_bundle")
                        .from(BundleItem::Table, BundleItem::BundleId)
                        .to(Bundle::Table, Bundle::Id),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(BundleVersion::Table)
                .col(pk_auto(BundleVersion::Id))
                .col(integer(BundleVersion::BundleId))
                .col(integer(BundleVersion::Version))
                .col(string(BundleVersion::ContentHash))
                .col(text(BundleVersion::Snapshot))
                .col(timestamp_with_time_zone(BundleVersion::ImportedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_bundle_version_bundle")
                        .from(BundleVersion::Table, BundleVersion::BundleId)
                        .to(Bundle::Table, Bundle::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_bundle_version_bundle_version")
                .table(BundleVersion::Table)
                .col(BundleVersion::BundleId)
                .col(BundleVersion::Version)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CatalogImport::Table)
                .col(pk_auto(CatalogImport::Id))
                .col(timestamp_with_time_zone(CatalogImport::ImportedAt))
                .col(string(CatalogImport::Source))
                .col(string(CatalogImport::FileSha256))
                .col(text(CatalogImport::Summary))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CatalogImport::Table.into_iden(),
            BundleVersion::Table.into_iden(),
            BundleItem::Table.into_iden(),
            Bundle::Table.into_iden(),
            FormField::Table.into_iden(),
            Material::Table.into_iden(),
            ItemVersion::Table.into_iden(),
            ServiceItem::Table.into_iden(),
            Department::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Department {
    Table,
    Id,
    Code,
    Name,
    Phone,
    Address,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ServiceItem {
    Table,
    Id,
    Code,
    CurrentVersion,
    CurrentVersionId,
    Name,
    Department,
    ItemType,
    CaseKind,
    OnlineDepth,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ItemVersion {
    Table,
    Id,
    ItemId,
    Version,
    ContentHash,
    ImportedAt,
    Name,
    ItemType,
    Department,
    CoDepartments,
    LegalBasis,
    Conditions,
    CaseKind,
    StatutoryLimitDays,
    PromisedLimitDays,
    AcceptOnReceipt,
    Steps,
    Location,
    Hours,
    ConsultPhone,
    SupervisePhone,
    FeeCharged,
    FeeBasis,
    ResultName,
    ResultElectronic,
    DeliveryMethods,
    OnlineDepth,
    Visits,
}

#[derive(DeriveIden)]
enum Material {
    Table,
    Id,
    ItemVersionId,
    Position,
    Code,
    Name,
    Source,
    Form,
    Quantity,
    Specification,
    Required,
    Deferrable,
    FileTypes,
    MaxSizeMb,
    TemplateUrl,
    Notes,
}

#[derive(DeriveIden)]
enum FormField {
    Table,
    Id,
    ItemVersionId,
    Position,
    Key,
    Label,
    FieldType,
    Required,
    Help,
    Unit,
    MinLength,
    MaxLength,
    MinValue,
    MaxValue,
    Pattern,
    PatternMessage,
    Options,
}

#[derive(DeriveIden)]
enum Bundle {
    Table,
    Id,
    Code,
    CurrentVersion,
    ContentHash,
    Name,
    Description,
    Stage,
    LeadDepartment,
    PromisedLimitDays,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BundleItem {
    Table,
    Id,
    BundleId,
    Position,
    ItemCode,
}

#[derive(DeriveIden)]
enum BundleVersion {
    Table,
    Id,
    BundleId,
    Version,
    ContentHash,
    Snapshot,
    ImportedAt,
}

#[derive(DeriveIden)]
enum CatalogImport {
    Table,
    Id,
    ImportedAt,
    Source,
    FileSha256,
    Summary,
}
