//! The notification outbox. Every status change, notice, warning and pause writes its
//! messages (SMS and in-site to the applicant, in-site to staff) in the same transaction as
//! the change itself, so a message is never lost nor sent for a change that did not happen.
//! A sender delivers them afterwards; several server instances may deliver at once, each
//! message claimed by exactly one.
//!
//! The default sender records delivery in the database and the log (an SMS gateway is a
//! deployment's contract, not reachable here); in-site messages are delivered by being
//! stored. Another sender (an SMS gateway, SMTP) plugs in through [`Sender`].

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entities::{application, notification};
use crate::domain::apply::ApplicantForm;
use crate::views::track::MessageView;

/// Most messages one delivery run takes.
const BATCH: u64 = 100;
/// A message whose delivery failed this often is left as `failed`.
/// (Retried on the next runs until then, every five seconds.)
const MAX_ATTEMPTS: i32 = 5;
/// SMS or e-mails one contact number or address gets in 24 hours, at most.
pub const MAX_PER_RECIPIENT_PER_DAY: u64 = 30;
/// How long a sender holds a message it is sending (an SMS gateway or SMTP server that has
/// not answered by then is given up on, and the message is taken again).
pub const LEASE_SECONDS: i64 = 5 * 60;

/// A message to write to the outbox.
pub struct Message {
    pub audience: &'static str,
    pub channel: &'static str,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// Writes messages for a case (inside the caller's transaction).
pub async fn enqueue(
    txn: &impl ConnectionTrait,
    application_id: i32,
    messages: Vec<Message>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    enqueue_about(txn, Some(application_id), messages, now).await
}

/// Writes messages about an account rather than a case (a recovery code).
pub async fn enqueue_for_account(
    txn: &impl ConnectionTrait,
    messages: Vec<Message>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    enqueue_about(txn, None, messages, now).await
}

async fn enqueue_about(
    txn: &impl ConnectionTrait,
    application_id: Option<i32>,
    messages: Vec<Message>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    for m in messages {
        // In-site messages are delivered by being stored.
        let delivered = m.channel == "site";
        notification::ActiveModel {
            application_id: Set(application_id),
            audience: Set(m.audience.into()),
            channel: Set(m.channel.into()),
            recipient: Set(m.recipient),
            subject: Set(m.subject),
            body: Set(m.body),
            status: Set(if delivered { "sent" } else { "pending" }.into()),
            attempts: Set(0),
            created_at: Set(now),
            sent_at: Set(delivered.then_some(now)),
            sender: Set(delivered.then(|| "site".into())),
            error: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await
        .context("failed to write a notification")?;
    }
    Ok(())
}

/// The applicant's messages about a step of their case: an SMS to the contact mobile and an
/// in-site message to their account (window cases: to the person who applied).
pub async fn to_applicant(
    txn: &impl ConnectionTrait,
    application_id: i32,
    subject: &str,
    text: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let Some(row) = application::Entity::find_by_id(application_id)
        .one(txn)
        .await
        .context("failed to read a case for its messages")?
    else {
        return Ok(());
    };
    let applicant: ApplicantForm = serde_json::from_str(&row.applicant).unwrap_or_default();
    let number = row.case_number.clone().unwrap_or_default();
    let body = format!("【一窗通办】您的办件 {number}：{text}");
    let mut messages = vec![Message {
        audience: "applicant",
        channel: "site",
        recipient: format!("account:{}", row.account_id),
        subject: subject.into(),
        body: body.clone(),
    }];
    for (key, channel) in [("contact_mobile", "sms"), ("contact_email", "email")] {
        if let Some(to) = applicant.values.get(key).filter(|m| !m.is_empty()) {
            // A contact number is whatever the applicant typed, never verified: someone else's
            // number could be flooded through many applications. Past the daily share, the
            // in-site message stands alone.
            let today = notification::Entity::find()
                .filter(notification::Column::Recipient.eq(to.as_str()))
                .filter(notification::Column::Channel.eq(channel))
                .filter(notification::Column::CreatedAt.gt(now - chrono::Duration::hours(24)))
                .count(txn)
                .await
                .context("failed to count a recipient's messages")?;
            if today >= MAX_PER_RECIPIENT_PER_DAY {
                tracing::warn!(
                    target: "security",
                    recipient = %mask_recipient(to),
                    channel,
                    "a recipient's daily share of messages is used up; not sent"
                );
                continue;
            }
            messages.push(Message {
                audience: "applicant",
                channel,
                recipient: to.clone(),
                subject: subject.into(),
                body: body.clone(),
            });
        }
    }
    enqueue(txn, application_id, messages, now).await
}

/// The messages of a case addressed to its applicant, oldest first (in-site copies only: the
/// SMS says the same).
pub async fn applicant_messages(
    db: &impl ConnectionTrait,
    application_id: i32,
) -> anyhow::Result<Vec<MessageView>> {
    let rows = notification::Entity::find()
        .filter(notification::Column::ApplicationId.eq(application_id))
        .filter(notification::Column::Audience.eq("applicant"))
        .filter(notification::Column::Channel.eq("site"))
        .order_by_asc(notification::Column::Id)
        .all(db)
        .await
        .context("failed to read messages")?;
    Ok(rows
        .into_iter()
        .map(|n| MessageView {
            at: n.created_at.to_rfc3339(),
            channel: n.channel,
            subject: n.subject,
            body: n.body,
            status: n.status,
        })
        .collect())
}

/// Delivers one message; an error leaves it for the next run.
#[async_trait::async_trait]
pub trait Sender: Send + Sync {
    /// Its name, recorded on each message it delivered.
    fn name(&self) -> &'static str;
    /// Whether it delivers messages of this channel (`sms`, `email`).
    fn handles(&self, channel: &str) -> bool;
    async fn send(&self, message: &notification::Model) -> anyhow::Result<()>;
}

/// Records delivery in the database and the log only; takes every channel.
pub struct LogSender;

#[async_trait::async_trait]
impl Sender for LogSender {
    fn name(&self) -> &'static str {
        "log"
    }

    fn handles(&self, _: &str) -> bool {
        true
    }

    async fn send(&self, m: &notification::Model) -> anyhow::Result<()> {
        tracing::info!(
            id = m.id,
            channel = %m.channel,
            recipient = %mask_recipient(&m.recipient),
            subject = %m.subject,
            "notification delivered (log sender)"
        );
        Ok(())
    }
}

/// A recipient as the log may show it: a mobile number or e-mail address masked.
fn mask_recipient(r: &str) -> String {
    match r.split_once('@') {
        Some((user, domain)) => format!("{}***@{domain}", user.chars().next().unwrap_or('*')),
        None => crate::domain::track::mask_mobile(r),
    }
}

/// Sends `email` messages through an SMTP server (`ONEWINDOW_SMTP_URL`, e.g.
/// `smtps://user:password@smtp.example.gov.cn` or `smtp://relay.internal:25`).
pub struct SmtpSender {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpSender {
    /// A sender for the server at `url` (lettre's URL form: `smtp://`, `smtps://`,
    /// `?tls=required` for STARTTLS), writing as `from` (`一窗通办 <noreply@example.gov.cn>`).
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .context("ONEWINDOW_SMTP_URL is not a valid SMTP address")?
            .build();
        let from = from
            .parse()
            .context("ONEWINDOW_MAIL_FROM is not a valid sender address")?;
        Ok(SmtpSender { transport, from })
    }
}

#[async_trait::async_trait]
impl Sender for SmtpSender {
    fn name(&self) -> &'static str {
        "smtp"
    }

    fn handles(&self, channel: &str) -> bool {
        channel == "email"
    }

    async fn send(&self, m: &notification::Model) -> anyhow::Result<()> {
        use lettre::AsyncTransport;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(m.recipient.parse().context("not an e-mail address")?)
            .subject(format!("【一窗通办】{}", m.subject))
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(m.body.clone())
            .context("failed to build an e-mail")?;
        self.transport
            .send(email)
            .await
            .context("the SMTP server refused the e-mail")?;
        Ok(())
    }
}

/// Delivers pending messages, each by the first of `senders` that handles its channel:
/// each is claimed by a conditional update first, so two instances never send one at once,
/// and held for [`LEASE_SECONDS`]; a message whose sender crashed while it was `sending` is
/// taken again once that lease has run out (delivery is at least once). Returns how many were
/// delivered.
pub async fn deliver_pending(
    db: &DatabaseConnection,
    senders: &[&dyn Sender],
    now: DateTime<Utc>,
) -> anyhow::Result<u32> {
    // Pending, or left `sending` by a sender whose lease has run out.
    let takeable = || {
        Condition::any()
            .add(notification::Column::Status.eq("pending"))
            .add(
                Condition::all()
                    .add(notification::Column::Status.eq("sending"))
                    .add(
                        Condition::any()
                            .add(notification::Column::ClaimedUntil.is_null())
                            .add(notification::Column::ClaimedUntil.lt(now)),
                    ),
            )
    };
    let pending = notification::Entity::find()
        .filter(takeable())
        .order_by_asc(notification::Column::Id)
        .limit(BATCH)
        .all(db)
        .await
        .context("failed to read the outbox")?;
    let mut delivered = 0;
    for m in pending {
        let Some(sender) = senders.iter().find(|s| s.handles(&m.channel)) else {
            continue;
        };
        let claimed = notification::Entity::update_many()
            .col_expr(notification::Column::Status, Expr::value("sending"))
            .col_expr(
                notification::Column::Attempts,
                Expr::col(notification::Column::Attempts).add(1),
            )
            .col_expr(
                notification::Column::ClaimedUntil,
                Expr::value(Some(now + chrono::Duration::seconds(LEASE_SECONDS))),
            )
            .filter(notification::Column::Id.eq(m.id))
            .filter(takeable())
            .exec(db)
            .await
            .context("failed to claim a notification")?;
        if claimed.rows_affected == 0 {
            continue;
        }
        let (status, error) = match sender.send(&m).await {
            Ok(()) => ("sent", None),
            Err(e) if m.attempts + 1 >= MAX_ATTEMPTS => ("failed", Some(format!("{e:#}"))),
            Err(e) => ("pending", Some(format!("{e:#}"))),
        };
        let mut update = notification::Entity::update_many()
            .col_expr(notification::Column::Status, Expr::value(status))
            .col_expr(notification::Column::Error, Expr::value(error))
            .col_expr(
                notification::Column::ClaimedUntil,
                Expr::value(None::<DateTime<Utc>>),
            )
            .filter(notification::Column::Id.eq(m.id));
        if status == "sent" {
            update = update
                .col_expr(notification::Column::SentAt, Expr::value(now))
                .col_expr(notification::Column::Sender, Expr::value(sender.name()));
            delivered += 1;
        }
        update
            .exec(db)
            .await
            .context("failed to record a delivery")?;
    }
    Ok(delivered)
}
