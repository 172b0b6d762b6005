//! The names of the tables and columns the migrations create, each table once: a table's enum
//! lists every column any migration names, so an older migration sees names a later one
//! added and never uses them. Names only: no entity is imported (see `lib.rs`).

use sea_orm_migration::prelude::*;

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Account {
    Table,
    Id,
    Mobile,
    PasswordHash,
    Name,
    IdNumber,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Application {
    Table,
    Id,
    Number,
    AccountId,
    ItemCode,
    BundleCode,
    FormValues,
    Status,
    CreatedAt,
    UpdatedAt,
    Applicant,
    BringOriginal,
    CaseNumber,
    Channel,
    SubmittedAt,
    Guides,
    Department,
    Version,
    StaffId,
    ReceivedAt,
    AgentIdNumber,
    AgentMobile,
    TrackingCode,
    HolderAccountId,
    Delivery,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum ApplicationMaterial {
    Table,
    Id,
    ApplicationId,
    MaterialCode,
    Sha256,
    Size,
    FileType,
    FileName,
    UploadedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Bundle {
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

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum BundleItem {
    Table,
    Id,
    BundleId,
    Position,
    ItemCode,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum BundleVersion {
    Table,
    Id,
    BundleId,
    Version,
    ContentHash,
    Snapshot,
    ImportedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum CalendarDay {
    Table,
    Id,
    Year,
    Day,
    Working,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum CalendarYear {
    Table,
    Year,
    Source,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum CaseEvent {
    Table,
    Id,
    ApplicationId,
    At,
    Actor,
    StaffId,
    ActorName,
    Channel,
    Action,
    FromStatus,
    ToStatus,
    Reason,
    Detail,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum CatalogImport {
    Table,
    Id,
    ImportedAt,
    Source,
    FileSha256,
    Summary,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum CreditBlacklist {
    Table,
    Id,
    Number,
    Name,
    Reason,
    ListedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum DeadlineWarning {
    Table,
    Id,
    ApplicationId,
    Department,
    Kind,
    Level,
    Due,
    OnDay,
    DaysLeft,
    Message,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum DeferredReminder {
    Table,
    Id,
    ApplicationId,
    MaterialCode,
    CommitmentDate,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Department {
    Table,
    Id,
    Code,
    Name,
    Phone,
    Address,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum FormField {
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

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum ItemDecision {
    Table,
    Id,
    ApplicationId,
    ItemCode,
    ItemName,
    Department,
    Outcome,
    Reason,
    LegalBasis,
    Conditions,
    StaffId,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum ItemVersion {
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
    ReviewDays,
    ResultValidityMonths,
    ResultLicenceFields,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Licence {
    Table,
    Id,
    Number,
    CheckCode,
    ApplicationId,
    ItemCode,
    Department,
    HolderKind,
    HolderName,
    HolderIdNumber,
    Name,
    IssuedOn,
    ValidUntil,
    File,
    RevokedKind,
    RevokedOn,
    RevokeReason,
    RevokedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum LicenceKey {
    Table,
    Id,
    KeyId,
    Department,
    PublicKey,
    SealedSecret,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum LoginThrottle {
    Table,
    Id,
    Mobile,
    Failures,
    LastFailureAt,
    LockedUntil,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Material {
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

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum MaterialHistory {
    Table,
    Id,
    ApplicationId,
    MaterialCode,
    Sha256,
    Size,
    FileType,
    FileName,
    UploadedAt,
    ReplacedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Notice {
    Table,
    Id,
    ApplicationId,
    Kind,
    Year,
    Seq,
    Number,
    IssuedAt,
    Content,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Notification {
    Table,
    Id,
    ApplicationId,
    Audience,
    Channel,
    Recipient,
    Subject,
    Body,
    Status,
    Attempts,
    CreatedAt,
    SentAt,
    Sender,
    Error,
    ClaimedUntil,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum RecoveryCode {
    Table,
    Id,
    Mobile,
    CodeHash,
    Attempts,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum ReviewTask {
    Table,
    Id,
    ApplicationId,
    ItemCode,
    ItemName,
    Department,
    Lead,
    Status,
    ClaimedBy,
    ClaimedByName,
    ClaimedAt,
    Opinion,
    Reason,
    LegalBasis,
    Conditions,
    CompletedAt,
    CreatedAt,
    LimitDays,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum SecurityAlert {
    Table,
    Id,
    Department,
    Kind,
    Login,
    Client,
    At,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum ServiceItem {
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

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Session {
    Table,
    Id,
    TokenHash,
    AccountId,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Staff {
    Table,
    Id,
    Login,
    Name,
    Role,
    Department,
    PasswordHash,
    Active,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum StaffSession {
    Table,
    Id,
    TokenHash,
    StaffId,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum WarningSeen {
    Table,
    Id,
    WarningId,
    StaffId,
    SeenAt,
}
