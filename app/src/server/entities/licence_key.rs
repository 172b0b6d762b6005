//! Table `licence_key`: a department's SM2 signing key. The secret is sealed with SM4-GCM
//! under the server's master key (`server::licences::keys`); a retired key signs nothing new
//! and stays published so that what it signed stays verifiable.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "licence_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// e.g. `ZJJ-20261202-3F9A`: printed in every licence it signs.
    #[sea_orm(unique)]
    pub key_id: String,
    pub department: String,
    /// SEC1 uncompressed point, hex.
    #[sea_orm(column_type = "Text")]
    pub public_key: String,
    /// Hex of the 12-byte nonce and the SM4-GCM ciphertext of the 32-byte secret.
    #[sea_orm(column_type = "Text")]
    pub sealed_secret: String,
    pub created_at: DateTimeUtc,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
