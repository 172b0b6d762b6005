//! Configuration from environment variables, with defaults that work when the binary is
//! started from the repository root.

use std::fmt::Display;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::str::FromStr;

use anyhow::Context;
use leptos::config::{LeptosOptions, get_configuration};

/// The demo catalog, compiled in so that the binary alone can start a demo hall.
pub const DEMO_CATALOG: &str = include_str!("../../catalog/demo.json");

/// Everything the server reads from its environment.
pub struct Config {
    /// `DATABASE_URL`; default: SQLite in the data directory.
    pub database_url: String,
    /// `ONEWINDOW_DB_CONNECTIONS`: the most connections the pool opens (1 to 200); default
    /// 4 on SQLite and 10 on PostgreSQL.
    pub database_connections: Option<u32>,
    /// `ONEWINDOW_DATA_DIR`; default `data`.
    pub data_dir: PathBuf,
    /// `ONEWINDOW_LOAD_DEMO` (`1`/`0`); default `1`: an empty catalog gets the demo catalog.
    pub load_demo: bool,
    /// `ONEWINDOW_SECURE_COOKIES` (`1`/`0`); default `0`. Set `1` when served over HTTPS.
    pub secure_cookies: bool,
    /// `LEPTOS_SITE_ADDR`, `LEPTOS_SITE_ROOT`, … (the cargo-leptos conventions).
    pub leptos: LeptosOptions,
    /// `ONEWINDOW_SMTP_URL`: e-mail notices go out through this server; unset, they are
    /// recorded in the database and the log like the SMS messages.
    pub smtp_url: Option<String>,
    /// `ONEWINDOW_MAIL_FROM`; default `一窗通办 <noreply@localhost>`.
    pub mail_from: String,
    /// `ONEWINDOW_TRUSTED_PROXIES`: how many reverse proxies of our own stand in front
    /// (default 0: `X-Forwarded-For` is ignored). `ONEWINDOW_TRUST_FORWARDED=1`, the older
    /// setting, means one.
    pub trusted_proxies: usize,
}

impl Config {
    /// Reads the environment; fails with a message naming the bad variable.
    pub fn from_env() -> anyhow::Result<Self> {
        let data_dir =
            PathBuf::from(std::env::var("ONEWINDOW_DATA_DIR").unwrap_or_else(|_| "data".into()));
        let database_url = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => url,
            _ => {
                std::fs::create_dir_all(&data_dir)
                    .with_context(|| format!("无法创建数据目录 {}", data_dir.display()))?;
                format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.join("onewindow.db").display()
                )
            }
        };
        let database_connections = whole_number(
            "ONEWINDOW_DB_CONNECTIONS",
            std::env::var("ONEWINDOW_DB_CONNECTIONS").ok().as_deref(),
            1..=200,
            "连接数",
        )?;
        let load_demo = flag("ONEWINDOW_LOAD_DEMO", true)?;
        let secure_cookies = flag("ONEWINDOW_SECURE_COOKIES", false)?;
        let mut leptos = get_configuration(None)
            .context("LEPTOS_* 环境变量有误（例如 LEPTOS_SITE_ADDR 应形如 127.0.0.1:3000）")?
            .leptos_options;
        if leptos.output_name.is_empty() {
            // Started directly rather than by cargo-leptos: use the names cargo-leptos built.
            leptos.output_name = "onewindow".into();
        }
        let smtp_url = std::env::var("ONEWINDOW_SMTP_URL")
            .ok()
            .filter(|u| !u.trim().is_empty());
        let mail_from = std::env::var("ONEWINDOW_MAIL_FROM")
            .ok()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "一窗通办 <noreply@localhost>".into());
        let trusted_proxies = match whole_number(
            "ONEWINDOW_TRUSTED_PROXIES",
            std::env::var("ONEWINDOW_TRUSTED_PROXIES").ok().as_deref(),
            0..=10,
            "代理层数",
        )? {
            Some(n) => n,
            None => usize::from(flag("ONEWINDOW_TRUST_FORWARDED", false)?),
        };
        Ok(Config {
            trusted_proxies,
            database_url,
            database_connections,
            data_dir,
            load_demo,
            secure_cookies,
            leptos,
            smtp_url,
            mail_from,
        })
    }
}

/// A yes/no setting.
fn flag(name: &str, default: bool) -> anyhow::Result<bool> {
    match std::env::var(name).as_deref() {
        Ok("0" | "false" | "no" | "off") => Ok(false),
        Ok("1" | "true" | "yes" | "on") => Ok(true),
        Err(_) | Ok("") => Ok(default),
        Ok(other) => anyhow::bail!("{name} 的取值 {other:?} 无效，应为 1 或 0"),
    }
}

/// A whole-number setting `name` read as `value`: `None` when unset or blank, else a number
/// within `range` or an error naming the variable, the range and what it counts (`unit`).
fn whole_number<T: FromStr + PartialOrd + Display>(
    name: &str,
    value: Option<&str>,
    range: RangeInclusive<T>,
    unit: &str,
) -> anyhow::Result<Option<T>> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    match value.trim().parse::<T>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => anyhow::bail!(
            "{name} 应为 {} 到 {} 之间的整数（{unit}），而不是 {value:?}",
            range.start(),
            range.end()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::whole_number;

    #[test]
    fn a_whole_number_setting_is_read_within_its_range_or_refused_by_name() {
        let pool = |v| whole_number::<u32>("ONEWINDOW_DB_CONNECTIONS", v, 1..=200, "连接数");
        assert_eq!(pool(None).unwrap(), None);
        assert_eq!(pool(Some("")).unwrap(), None);
        assert_eq!(pool(Some("  ")).unwrap(), None);
        assert_eq!(pool(Some("4")).unwrap(), Some(4));
        assert_eq!(pool(Some(" 200 ")).unwrap(), Some(200));
        assert_eq!(pool(Some("1")).unwrap(), Some(1));
        for bad in [
            "0",
            "201",
            "-1",
            "4.5",
            "十",
            "4 connections",
            "99999999999",
        ] {
            let message = pool(Some(bad)).unwrap_err().to_string();
            assert_eq!(
                message,
                format!(
                    "ONEWINDOW_DB_CONNECTIONS 应为 1 到 200 之间的整数（连接数），而不是 {bad:?}"
                )
            );
        }
        let proxies = |v| whole_number::<usize>("ONEWINDOW_TRUSTED_PROXIES", v, 0..=10, "代理层数");
        assert_eq!(proxies(Some("0")).unwrap(), Some(0));
        assert_eq!(proxies(Some("10")).unwrap(), Some(10));
        assert!(
            proxies(Some("11"))
                .unwrap_err()
                .to_string()
                .starts_with("ONEWINDOW_TRUSTED_PROXIES 应为 0 到 10 之间的整数（代理层数）")
        );
    }
}
