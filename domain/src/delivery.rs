//! 送达 (docs/rules.md, rule 14): how the applicant chose to receive the result, and the
//! window's steps that deliver it within 10 working days of the decision (第四十四条).
//!
//! The applicant chooses at submission from the guide's 送达方式 (for a bundle, the methods
//! every item offers: its results go out together). 电子送达 (网上下载) is delivered when the
//! decision is published, in the same transaction; 邮寄 is delivered when the window records
//! the post's receipt after recording the carrier and waybill; 窗口领取 when the window records
//! who collected it and checks their ID card. Every form here is checked by the same field
//! interpreter as the application form, so the browser and the server refuse the same input
//! with the same words.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::account::FieldProblem;
use crate::case::CaseStatus;
use crate::catalog::{DeliveryMethod, FieldType, FormField};
use crate::date::Date;
use crate::form::{check_form, field, problems, select};
use crate::ids::IdCardNumber;

/// The 34 provincial-level divisions, as an address starts.
pub const PROVINCES: [&str; 34] = [
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
    "台湾省",
];

/// The carriers the window posts results with.
pub const CARRIERS: [&str; 8] = [
    "中国邮政EMS",
    "顺丰速运",
    "京东物流",
    "中通快递",
    "圆通速递",
    "申通快递",
    "韵达快递",
    "极兔速递",
];

/// The delivery choice of a draft, as typed: anything may still be missing or wrong.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliveryForm {
    pub method: Option<DeliveryMethod>,
    /// The postal address for 邮寄 ([`address_fields`]), by key; ignored for the other methods.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub address: BTreeMap<String, String>,
}

/// A postal address as checked: where the result goes by post, and to whom.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostalAddress {
    pub province: String,
    pub city: String,
    pub district: String,
    pub detail: String,
    pub recipient: String,
    pub mobile: String,
}

impl PostalAddress {
    fn from_values(values: &BTreeMap<String, String>) -> Self {
        let get = |k: &str| values.get(k).cloned().unwrap_or_default();
        PostalAddress {
            province: get("province"),
            city: get("city"),
            district: get("district"),
            detail: get("detail"),
            recipient: get("recipient"),
            mobile: get("mobile"),
        }
    }

    /// The address on one line, as written on an envelope.
    pub fn line(&self) -> String {
        // A municipality's city is the province again: written once.
        let city = if self.city == self.province {
            ""
        } else {
            &self.city
        };
        format!("{}{city}{}{}", self.province, self.district, self.detail)
    }
}

/// A valid choice, as the submitted case keeps it.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryChoice {
    pub method: DeliveryMethod,
    /// Where to post it: present exactly for 邮寄.
    pub address: Option<PostalAddress>,
}

impl DeliveryChoice {
    /// The choice as a draft holds it (what a submitted case stores).
    pub fn to_form(&self) -> DeliveryForm {
        let address = self
            .address
            .as_ref()
            .map(|a| {
                [
                    ("province", &a.province),
                    ("city", &a.city),
                    ("district", &a.district),
                    ("detail", &a.detail),
                    ("recipient", &a.recipient),
                    ("mobile", &a.mobile),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect()
            })
            .unwrap_or_default();
        DeliveryForm {
            method: Some(self.method),
            address,
        }
    }

    /// The choice a submitted case stored (its form, checked at submission).
    pub fn stored(form: &DeliveryForm) -> Option<Self> {
        let method = form.method?;
        Some(DeliveryChoice {
            method,
            address: (method == DeliveryMethod::Post)
                .then(|| PostalAddress::from_values(&form.address)),
        })
    }
}

/// The methods a case may choose from: those every one of its items offers, in the first
/// item's order. Items with nothing in common fall back to 窗口领取, which a hall can always do.
pub fn offered_by_all<'a>(
    lists: impl IntoIterator<Item = &'a [DeliveryMethod]>,
) -> Vec<DeliveryMethod> {
    let mut lists = lists.into_iter();
    let Some(first) = lists.next() else {
        return vec![DeliveryMethod::Pickup];
    };
    let mut common = first.to_vec();
    for list in lists {
        common.retain(|m| list.contains(m));
    }
    if common.is_empty() {
        common.push(DeliveryMethod::Pickup);
    }
    common
}

/// The fields of a postal address.
pub fn address_fields() -> Vec<FormField> {
    vec![
        select("province", "省（自治区、直辖市）", &PROVINCES),
        FormField {
            help: Some("直辖市填写本市名称，如“上海市”".into()),
            min_length: Some(2),
            ..field("city", "市（地区、州、盟）", FieldType::Text, Some(20))
        },
        FormField {
            min_length: Some(2),
            ..field("district", "区（县）", FieldType::Text, Some(20))
        },
        FormField {
            min_length: Some(4),
            ..field(
                "detail",
                "详细地址（街道、门牌号）",
                FieldType::Address,
                Some(100),
            )
        },
        FormField {
            min_length: Some(2),
            ..field("recipient", "收件人", FieldType::Text, Some(30))
        },
        field("mobile", "收件人手机号码", FieldType::MobileNumber, None),
    ]
}

/// The fields the window fills in when it posts a result.
pub fn mailing_fields() -> Vec<FormField> {
    vec![
        select("carrier", "快递公司", &CARRIERS),
        FormField {
            pattern: Some("[A-Za-z0-9]{8,30}".into()),
            pattern_message: Some("运单号为 8–30 位字母或数字".into()),
            ..field("waybill", "运单号", FieldType::Text, Some(30))
        },
    ]
}

/// The fields the window fills in when someone collects a result at the hall.
pub fn collector_fields() -> Vec<FormField> {
    vec![
        FormField {
            min_length: Some(2),
            ..field("collector_name", "领取人姓名", FieldType::Text, Some(30))
        },
        field(
            "collector_id_number",
            "领取人居民身份证号码",
            FieldType::IdCardNumber,
            None,
        ),
    ]
}

/// Checks the applicant's choice against the methods `offered`; problems carry the paths
/// `delivery.method` and `delivery.<address key>`. With one method offered nothing needs
/// choosing. The address is kept only for 邮寄.
pub fn check_choice(
    offered: &[DeliveryMethod],
    form: &DeliveryForm,
    today: Date,
) -> Result<DeliveryChoice, Vec<FieldProblem>> {
    let method = match (form.method, offered) {
        (Some(m), _) if offered.contains(&m) => m,
        (Some(m), _) => {
            return Err(vec![FieldProblem::new(
                "delivery.method",
                "delivery_not_offered",
                format!(
                    "本事项不提供“{}”，请从{}中选择",
                    m.label(),
                    DeliveryMethod::labels(offered, "、")
                ),
            )]);
        }
        (None, [only]) => *only,
        (None, _) => {
            return Err(vec![FieldProblem::new(
                "delivery.method",
                "required",
                "请选择办理结果的送达方式",
            )]);
        }
    };
    if method != DeliveryMethod::Post {
        return Ok(DeliveryChoice {
            method,
            address: None,
        });
    }
    let fields = address_fields();
    let values = check_form(&fields, &form.address, today)
        .map_err(|errors| problems("delivery", &fields, errors))?;
    Ok(DeliveryChoice {
        method,
        address: Some(PostalAddress::from_values(&values)),
    })
}

/// What the window records to deliver a result.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStep {
    /// 邮寄寄出: the carrier and the waybill number.
    Mail,
    /// 邮件妥投: the post reached the applicant; the case ends.
    Received,
    /// 窗口领取: who collected it, their ID card checked; the case ends.
    PickUp,
    /// 电子送达 recorded by the window: only for a case decided before the applicant's choice
    /// was asked (a chosen 网上下载 is delivered with the decision); the case ends.
    Online,
}

/// The window's delivery action on a case, as sent.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliveryRequest {
    pub step: DeliveryStep,
    /// [`mailing_fields`] for 寄出, [`collector_fields`] for 领取, by key.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

/// What the case's delivery stands on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryFacts {
    pub status: CaseStatus,
    /// The applicant's choice; `None` on a case submitted before choices were asked.
    pub choice: Option<DeliveryChoice>,
    /// The methods the case's guides offer.
    pub offered: Vec<DeliveryMethod>,
    /// The carrier and waybill, once posted.
    pub mailed: Option<(String, String)>,
}

/// A delivery action that may be recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckedDelivery {
    Mail {
        carrier: String,
        waybill: String,
    },
    /// The result is delivered by `method`; for 窗口领取, the collector as recorded (the name
    /// and the masked ID number).
    Delivered {
        method: DeliveryMethod,
        collector: Option<String>,
    },
}

fn refused(code: &str, message: impl Into<String>) -> Vec<FieldProblem> {
    vec![FieldProblem::new("step", code, message)]
}

/// Checks a delivery action on a case (rule 14): only a decided case, only by the method the
/// applicant chose (or, on a case without a choice, one its guides offer), posting before the
/// post's receipt, and each form through the field interpreter (`values.<key>` paths).
pub fn check_delivery(
    facts: &DeliveryFacts,
    request: &DeliveryRequest,
    today: Date,
) -> Result<CheckedDelivery, Vec<FieldProblem>> {
    match facts.status {
        CaseStatus::Decided => {}
        CaseStatus::Completed => {
            return Err(refused("already_delivered", "办理结果已送达，办件已办结"));
        }
        _ => {
            return Err(refused(
                "not_decided",
                "办件尚未作出审查决定，没有可送达的办理结果",
            ));
        }
    }
    let method = match request.step {
        DeliveryStep::Mail | DeliveryStep::Received => DeliveryMethod::Post,
        DeliveryStep::PickUp => DeliveryMethod::Pickup,
        DeliveryStep::Online => DeliveryMethod::Download,
    };
    match &facts.choice {
        Some(c) if c.method == DeliveryMethod::Download => {
            return Err(refused(
                "delivered_online",
                "申请人选择网上下载，办理结果在作出决定时已送达",
            ));
        }
        Some(c) if c.method != method => {
            return Err(refused(
                "wrong_method",
                format!("申请人选择的送达方式是“{}”", c.method.label()),
            ));
        }
        Some(_) => {}
        None if facts.offered.contains(&method) => {}
        None => {
            return Err(refused(
                "delivery_not_offered",
                format!("本事项不提供“{}”", method.label()),
            ));
        }
    }
    match (request.step, &facts.mailed) {
        (DeliveryStep::Mail, Some((carrier, waybill))) => Err(refused(
            "already_mailed",
            format!("已登记寄出（{carrier} {waybill}），不能再次寄出"),
        )),
        (DeliveryStep::Mail, None) => {
            let fields = mailing_fields();
            let v = check_form(&fields, &request.values, today)
                .map_err(|errors| problems("values", &fields, errors))?;
            Ok(CheckedDelivery::Mail {
                carrier: v.get("carrier").cloned().unwrap_or_default(),
                waybill: v
                    .get("waybill")
                    .map(|w| w.to_ascii_uppercase())
                    .unwrap_or_default(),
            })
        }
        (DeliveryStep::Received, None) => Err(refused("not_mailed", "请先登记邮寄寄出的运单号")),
        (DeliveryStep::Received, Some(_)) => Ok(CheckedDelivery::Delivered {
            method,
            collector: None,
        }),
        (DeliveryStep::Online, _) => Ok(CheckedDelivery::Delivered {
            method,
            collector: None,
        }),
        (DeliveryStep::PickUp, _) => {
            let fields = collector_fields();
            let v = check_form(&fields, &request.values, today)
                .map_err(|errors| problems("values", &fields, errors))?;
            let id = v
                .get("collector_id_number")
                .and_then(|n| IdCardNumber::parse(n, today).ok())
                .map(|n| n.masked())
                .unwrap_or_default();
            let name = v.get("collector_name").cloned().unwrap_or_default();
            Ok(CheckedDelivery::Delivered {
                method,
                collector: Some(format!("{name}（居民身份证 {id}）")),
            })
        }
    }
}

#[cfg(test)]
mod tests;
