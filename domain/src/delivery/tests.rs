use super::*;
use crate::fixtures::codes;
use DeliveryMethod::{Download, Pickup, Post};

fn today() -> Date {
    Date::new(2026, 12, 2).unwrap()
}

fn address() -> BTreeMap<String, String> {
    [
        ("province", "浙江省"),
        ("city", "杭州市"),
        ("district", "西湖区"),
        ("detail", " 文三路 100 号 3 幢 "),
        ("recipient", "王五"),
        ("mobile", "138 0013 8000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn post() -> DeliveryForm {
    DeliveryForm {
        method: Some(Post),
        address: address(),
    }
}

#[test]
fn a_single_method_needs_no_choice_and_several_need_one() {
    let none = DeliveryForm::default();
    let c = check_choice(&[Download], &none, today()).unwrap();
    assert_eq!((c.method, c.address), (Download, None));
    let e = check_choice(&[Download, Post, Pickup], &none, today()).unwrap_err();
    assert_eq!(codes(&e), [("delivery.method", "required")]);
    let e = check_choice(
        &[Download],
        &DeliveryForm {
            method: Some(Pickup),
            ..Default::default()
        },
        today(),
    )
    .unwrap_err();
    assert_eq!(codes(&e), [("delivery.method", "delivery_not_offered")]);
    assert_eq!(e[0].message, "本事项不提供“窗口领取”，请从网上下载中选择");
}

#[test]
fn a_postal_address_is_checked_and_kept_normalised() {
    let c = check_choice(&[Download, Post], &post(), today()).unwrap();
    let a = c.address.clone().unwrap();
    assert_eq!(a.detail, "文三路 100 号 3 幢");
    assert_eq!(a.mobile, "13800138000");
    assert_eq!(a.line(), "浙江省杭州市西湖区文三路 100 号 3 幢");
    // Stored and read back, the choice is the same.
    assert_eq!(DeliveryChoice::stored(&c.to_form()), Some(c));

    let mut bad = post();
    bad.address.insert("province".into(), "火星".into());
    bad.address.insert("mobile".into(), "12345".into());
    bad.address.remove("recipient");
    bad.address.insert("detail".into(), "1号".into());
    let e = check_choice(&[Post], &bad, today()).unwrap_err();
    assert_eq!(
        codes(&e),
        [
            ("delivery.province", "not_an_option"),
            ("delivery.detail", "too_short"),
            ("delivery.recipient", "required"),
            ("delivery.mobile", "mobile_format"),
        ]
    );
    assert!(e.iter().all(|p| !p.message.is_empty()));
}

#[test]
fn the_address_is_dropped_for_other_methods_and_a_municipality_is_written_once() {
    let mut f = post();
    f.method = Some(Pickup);
    let c = check_choice(&[Post, Pickup], &f, today()).unwrap();
    assert_eq!((c.method, c.address), (Pickup, None));
    let a = PostalAddress {
        province: "上海市".into(),
        city: "上海市".into(),
        district: "浦东新区".into(),
        detail: "世纪大道 1 号".into(),
        recipient: "李四".into(),
        mobile: "13900139000".into(),
    };
    assert_eq!(a.line(), "上海市浦东新区世纪大道 1 号");
}

#[test]
fn a_bundle_offers_what_every_item_offers() {
    assert_eq!(
        offered_by_all([&[Download, Post, Pickup][..], &[Pickup, Download][..]]),
        [Download, Pickup]
    );
    assert_eq!(offered_by_all([&[Post][..], &[Download][..]]), [Pickup]);
    assert_eq!(offered_by_all(Vec::<&[DeliveryMethod]>::new()), [Pickup]);
}

fn facts(choice: Option<DeliveryMethod>, mailed: bool) -> DeliveryFacts {
    DeliveryFacts {
        status: CaseStatus::Decided,
        choice: choice.map(|method| DeliveryChoice {
            method,
            address: None,
        }),
        offered: vec![Download, Post, Pickup],
        mailed: mailed.then(|| ("顺丰速运".to_string(), "SF1234567890".to_string())),
    }
}

fn request(step: DeliveryStep, values: &[(&str, &str)]) -> DeliveryRequest {
    DeliveryRequest {
        step,
        values: values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

#[test]
fn a_post_is_mailed_with_a_known_carrier_and_a_waybill_then_received() {
    let mail = request(
        DeliveryStep::Mail,
        &[("carrier", "顺丰速运"), ("waybill", "sf1234567890")],
    );
    assert_eq!(
        check_delivery(&facts(Some(Post), false), &mail, today()),
        Ok(CheckedDelivery::Mail {
            carrier: "顺丰速运".into(),
            waybill: "SF1234567890".into()
        })
    );
    let bad = request(
        DeliveryStep::Mail,
        &[("carrier", "飞鸽传书"), ("waybill", "SF-12")],
    );
    let e = check_delivery(&facts(Some(Post), false), &bad, today()).unwrap_err();
    assert_eq!(
        codes(&e),
        [
            ("values.carrier", "not_an_option"),
            ("values.waybill", "pattern_mismatch")
        ]
    );
    assert_eq!(e[1].message, "运单号为 8–30 位字母或数字");
    let e = check_delivery(&facts(Some(Post), true), &mail, today()).unwrap_err();
    assert_eq!(codes(&e), [("step", "already_mailed")]);

    let received = request(DeliveryStep::Received, &[]);
    let e = check_delivery(&facts(Some(Post), false), &received, today()).unwrap_err();
    assert_eq!(codes(&e), [("step", "not_mailed")]);
    assert_eq!(
        check_delivery(&facts(Some(Post), true), &received, today()),
        Ok(CheckedDelivery::Delivered {
            method: Post,
            collector: None
        })
    );
}

#[test]
fn a_pickup_records_the_collector_with_a_checked_and_masked_id() {
    let pick = request(
        DeliveryStep::PickUp,
        &[
            ("collector_name", "张三"),
            ("collector_id_number", "11010519491231002x"),
        ],
    );
    assert_eq!(
        check_delivery(&facts(Some(Pickup), false), &pick, today()),
        Ok(CheckedDelivery::Delivered {
            method: Pickup,
            collector: Some("张三（居民身份证 1101**********002X）".into())
        })
    );
    let no_id = request(DeliveryStep::PickUp, &[("collector_name", "张三")]);
    let e = check_delivery(&facts(Some(Pickup), false), &no_id, today()).unwrap_err();
    assert_eq!(codes(&e), [("values.collector_id_number", "required")]);
    let wrong = request(
        DeliveryStep::PickUp,
        &[
            ("collector_name", "张三"),
            ("collector_id_number", "110105194912310021"),
        ],
    );
    let e = check_delivery(&facts(Some(Pickup), false), &wrong, today()).unwrap_err();
    assert_eq!(
        codes(&e),
        [("values.collector_id_number", "id_card_checksum")]
    );
}

#[test]
fn only_a_decided_case_is_delivered_and_only_by_the_chosen_method() {
    let pick = request(
        DeliveryStep::PickUp,
        &[
            ("collector_name", "张三"),
            ("collector_id_number", "11010519491231002X"),
        ],
    );
    let mail = request(
        DeliveryStep::Mail,
        &[("carrier", "顺丰速运"), ("waybill", "SF1234567890")],
    );
    let step = |f: &DeliveryFacts, r: &DeliveryRequest| {
        check_delivery(f, r, today())
            .unwrap_err()
            .into_iter()
            .map(|p| p.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(step(&facts(Some(Post), false), &pick), ["wrong_method"]);
    assert_eq!(step(&facts(Some(Pickup), false), &mail), ["wrong_method"]);
    assert_eq!(
        step(&facts(Some(Download), false), &pick),
        ["delivered_online"]
    );
    for (status, code) in [
        (CaseStatus::InReview, "not_decided"),
        (CaseStatus::Withdrawn, "not_decided"),
        (CaseStatus::Completed, "already_delivered"),
    ] {
        let f = DeliveryFacts {
            status,
            ..facts(Some(Pickup), false)
        };
        assert_eq!(step(&f, &pick), [code]);
    }
    // A case submitted before the choice was asked: any method its guides offer.
    let mut old = facts(None, false);
    assert!(check_delivery(&old, &pick, today()).is_ok());
    let online = request(DeliveryStep::Online, &[]);
    assert_eq!(
        check_delivery(&old, &online, today()),
        Ok(CheckedDelivery::Delivered {
            method: Download,
            collector: None
        })
    );
    // A chosen 网上下载 was delivered with the decision: nothing for the window to record.
    assert_eq!(
        step(&facts(Some(Download), false), &online),
        ["delivered_online"]
    );
    assert_eq!(step(&facts(Some(Pickup), false), &online), ["wrong_method"]);
    old.offered = vec![Download];
    assert_eq!(step(&old, &pick), ["delivery_not_offered"]);
}
