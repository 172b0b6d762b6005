//! `onewindow`: the OneWindow server and its administration commands.

use anyhow::Context;
use clap::{Parser, Subcommand};

use app::server::{catalog, db};
use onewindow::config::{self, Config};
use onewindow::router;

/// OneWindow 一窗通办: 政务服务网上办事大厅.
#[derive(Parser)]
#[command(name = "onewindow", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, load the demo catalog into an empty database, and serve (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Check a catalog file and import it in one transaction (all or nothing).
    ImportCatalog {
        /// The catalog file (JSON, see docs/catalog-format.md).
        file: std::path::PathBuf,
    },
    /// Write the whole catalog, each item in its current version, to a file.
    ExportCatalog {
        /// Where to write; `-` for standard output.
        file: std::path::PathBuf,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Serve)).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("错误：{err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<std::process::ExitCode> {
    let config = Config::from_env()?;
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;
    match command {
        Command::Serve => {
            if config.load_demo && catalog::is_empty(&conn).await? {
                let summary = catalog::import_text(&conn, config::DEMO_CATALOG, "demo")
                    .await
                    .map_err(|e| {
                        anyhow::anyhow!("the shipped demo catalog failed to import: {e}")
                    })?;
                tracing::info!(
                    "loaded the demo catalog: {}",
                    summary.to_string().replace('\n', "; ")
                );
            }
            router::serve(config, conn).await?;
        }
        Command::Migrate => println!("数据库已是最新结构：{}", db::redact(&config.database_url)),
        Command::ImportCatalog { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("无法读取目录文件 {}", file.display()))?;
            match catalog::import_text(&conn, &text, &file.display().to_string()).await {
                Ok(summary) => {
                    print!("导入完成。\n{summary}");
                }
                Err(catalog::ImportError::Invalid(problems)) => {
                    eprintln!(
                        "目录文件 {} 有 {} 处问题，未导入任何内容：",
                        file.display(),
                        problems.len()
                    );
                    for p in &problems {
                        eprintln!("  {p}");
                    }
                    return Ok(std::process::ExitCode::from(2));
                }
                Err(catalog::ImportError::Internal(err)) => return Err(err),
            }
        }
        Command::ExportCatalog { file } => {
            let text = catalog::export(&conn).await?.to_json();
            if file.as_os_str() == "-" {
                print!("{text}");
            } else {
                std::fs::write(&file, text)
                    .with_context(|| format!("无法写入 {}", file.display()))?;
                eprintln!("已导出到 {}", file.display());
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}
