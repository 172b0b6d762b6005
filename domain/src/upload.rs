//! Whether a file may be uploaded for a material: its type is recognised by its content
//! (magic bytes), never by its name, and its size is within the material's limit. Pure, so
//! the browser checks a file before sending it and the server checks it again on receipt.

use serde::{Deserialize, Serialize};

use super::catalog::{FileType, Material};

/// Bytes of a file's beginning that are enough to recognise every accepted type.
pub const SNIFF_BYTES: usize = 512;

/// Drafts one applicant may hold at once: enough for every item they could be preparing,
/// few enough that nobody fills the store through abandoned drafts.
pub const MAX_OPEN_DRAFTS: u64 = 20;

/// Bytes of uploaded material one applicant may keep in applications not yet with the
/// department (drafts, and cases waiting for their fix-up), in MB.
pub const DRAFT_STORAGE_MB: u32 = 1024;

/// The most an upload may be, in bytes, and the refusal past it: the material's limit, or
/// less where the applicant's storage (see [`DRAFT_STORAGE_MB`]) runs out first. `used` is
/// what the applicant's open applications already hold, not counting the file the upload
/// replaces; `None` for staff taking in a case at the window, who have no storage limit.
pub fn upload_allowance(material: &Material, used: Option<u64>) -> (u64, UploadError) {
    let own = u64::from(material.max_size_mb) * 1024 * 1024;
    let left = used.map(|used| (u64::from(DRAFT_STORAGE_MB) * 1024 * 1024).saturating_sub(used));
    match left {
        Some(left) if left < own => (
            left,
            UploadError::StorageQuotaExceeded {
                quota_mb: DRAFT_STORAGE_MB,
            },
        ),
        _ => (
            own,
            UploadError::FileTooLarge {
                max_mb: material.max_size_mb,
            },
        ),
    }
}

/// Why a file was refused for a material. Serialised as a stable code.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum UploadError {
    /// A zero-byte file (often a failed scan or an interrupted copy).
    EmptyFile,
    /// Larger than the material's limit.
    FileTooLarge { max_mb: u32 },
    /// The applicant's open applications would hold more than [`DRAFT_STORAGE_MB`].
    StorageQuotaExceeded { quota_mb: u32 },
    /// Not one of the types the guide accepts for this material (`detected` is what the
    /// content is, if recognised).
    FileTypeNotAccepted {
        detected: Option<String>,
        accepted: Vec<FileType>,
    },
}

impl UploadError {
    /// What to tell the person, in Chinese.
    pub fn message(&self, material_name: &str) -> String {
        match self {
            UploadError::EmptyFile => format!("“{material_name}”的文件是空的，请重新选择"),
            UploadError::FileTooLarge { max_mb } => {
                format!("“{material_name}”的文件不能超过 {max_mb} MB")
            }
            UploadError::StorageQuotaExceeded { quota_mb } => format!(
                "“{material_name}”上传后，未提交的申请中的材料将超过 {quota_mb} MB 上限；请先提交或删除不再需要的草稿"
            ),
            UploadError::FileTypeNotAccepted { detected, accepted } => {
                let accepted = FileType::labels(accepted, "、");
                match detected {
                    Some(d) => {
                        format!("“{material_name}”只接受 {accepted} 文件，所选文件实际是 {d}")
                    }
                    None => {
                        format!("“{material_name}”只接受 {accepted} 文件，无法识别所选文件的类型")
                    }
                }
            }
        }
    }
}

/// The accepted file type this content is, if any.
///
/// OFD (GB/T 33190) is a ZIP package whose first entry is `OFD.xml`; any other ZIP is not.
pub fn sniff(head: &[u8]) -> Option<FileType> {
    match infer::get(head)?.mime_type() {
        "application/pdf" => Some(FileType::Pdf),
        "image/jpeg" => Some(FileType::Jpeg),
        "image/png" => Some(FileType::Png),
        "application/zip" if first_zip_entry_is(head, b"OFD.xml") => Some(FileType::Ofd),
        _ => None,
    }
}

/// A short human name of what the content is, for messages ("Word 文档", "ZIP 压缩包", …).
fn describe(head: &[u8]) -> Option<String> {
    let kind = infer::get(head)?;
    Some(match kind.mime_type() {
        "application/zip" => "ZIP 压缩包".to_string(),
        "application/msword"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            "Word 文档".to_string()
        }
        "image/gif" => "GIF 图片".to_string(),
        "image/webp" => "WebP 图片".to_string(),
        "image/heif" | "image/heic" => "HEIC 图片".to_string(),
        _ => kind.extension().to_ascii_uppercase(),
    })
}

/// Checks a file for a material: `size` in bytes, `head` its first [`SNIFF_BYTES`] bytes.
pub fn check_upload(material: &Material, size: u64, head: &[u8]) -> Result<FileType, UploadError> {
    if size == 0 {
        return Err(UploadError::EmptyFile);
    }
    if size > u64::from(material.max_size_mb) * 1024 * 1024 {
        return Err(UploadError::FileTooLarge {
            max_mb: material.max_size_mb,
        });
    }
    match sniff(head) {
        Some(t) if material.file_types.contains(&t) => Ok(t),
        Some(t) => Err(UploadError::FileTypeNotAccepted {
            detected: Some(t.label().to_string()),
            accepted: material.file_types.clone(),
        }),
        None => Err(UploadError::FileTypeNotAccepted {
            detected: describe(head),
            accepted: material.file_types.clone(),
        }),
    }
}

/// Whether the first local file header of a ZIP names `name`.
fn first_zip_entry_is(head: &[u8], name: &[u8]) -> bool {
    // Local file header: signature (4), …, name length at 26 (2, little endian), name at 30.
    if head.len() < 30 || &head[..4] != b"PK\x03\x04" {
        return false;
    }
    let len = usize::from(u16::from_le_bytes([head[26], head[27]]));
    head.get(30..30 + len) == Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{MaterialForm, MaterialSource};

    fn material(types: Vec<FileType>) -> Material {
        Material {
            code: "contract".into(),
            name: "施工合同".into(),
            source: MaterialSource::Applicant,
            form: MaterialForm::Electronic,
            quantity: 1,
            specification: "扫描件".into(),
            required: true,
            deferrable: false,
            file_types: types,
            max_size_mb: 2,
            template_url: None,
            notes: None,
        }
    }

    const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0";

    fn zip_with_first_entry(name: &[u8]) -> Vec<u8> {
        let mut z = b"PK\x03\x04".to_vec();
        z.extend_from_slice(&[
            20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ]);
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&[0, 0]);
        z.extend_from_slice(name);
        z
    }

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(sniff(PDF), Some(FileType::Pdf));
        assert_eq!(sniff(PNG), Some(FileType::Png));
        assert_eq!(sniff(JPEG), Some(FileType::Jpeg));
        assert_eq!(
            sniff(&zip_with_first_entry(b"OFD.xml")),
            Some(FileType::Ofd)
        );
        assert_eq!(
            sniff(&zip_with_first_entry(b"word/document.xml")),
            None,
            "a ZIP is not an OFD"
        );
        assert_eq!(sniff(b"just some text, named contract.pdf"), None);
    }

    #[test]
    fn a_png_renamed_to_pdf_is_still_a_png() {
        let err = check_upload(&material(vec![FileType::Pdf]), 100, PNG).unwrap_err();
        assert_eq!(
            err,
            UploadError::FileTypeNotAccepted {
                detected: Some("PNG".into()),
                accepted: vec![FileType::Pdf]
            }
        );
        assert_eq!(
            err.message("施工合同"),
            "“施工合同”只接受 PDF 文件，所选文件实际是 PNG"
        );
    }

    #[test]
    fn an_accepted_file_within_the_limit_passes() {
        assert_eq!(
            check_upload(
                &material(vec![FileType::Pdf, FileType::Jpeg]),
                2 * 1024 * 1024,
                JPEG
            ),
            Ok(FileType::Jpeg)
        );
    }

    #[test]
    fn an_applicants_storage_caps_an_upload_below_the_materials_limit() {
        let m = material(vec![FileType::Pdf]);
        let mb = 1024 * 1024;
        let too_large = UploadError::FileTooLarge { max_mb: 2 };
        assert_eq!(upload_allowance(&m, None), (2 * mb, too_large.clone()));
        assert_eq!(upload_allowance(&m, Some(0)), (2 * mb, too_large.clone()));
        let full = u64::from(DRAFT_STORAGE_MB) * mb;
        assert_eq!(
            upload_allowance(&m, Some(full - 2 * mb)),
            (2 * mb, too_large)
        );
        let quota = UploadError::StorageQuotaExceeded {
            quota_mb: DRAFT_STORAGE_MB,
        };
        assert_eq!(upload_allowance(&m, Some(full - mb)), (mb, quota.clone()));
        assert_eq!(upload_allowance(&m, Some(full + 5)), (0, quota.clone()));
        assert!(quota.message("施工合同").contains("1024 MB"));
    }

    #[test]
    fn size_limits_and_empty_files_are_refused() {
        let m = material(vec![FileType::Pdf]);
        assert_eq!(
            check_upload(&m, 2 * 1024 * 1024 + 1, PDF),
            Err(UploadError::FileTooLarge { max_mb: 2 })
        );
        assert_eq!(check_upload(&m, 0, b""), Err(UploadError::EmptyFile));
    }

    #[test]
    fn an_unknown_or_unaccepted_format_is_named_when_recognisable() {
        let m = material(vec![FileType::Pdf]);
        let docx = zip_with_first_entry(b"[Content_Types].xml");
        match check_upload(&m, 100, &docx).unwrap_err() {
            UploadError::FileTypeNotAccepted { detected, .. } => {
                assert!(detected.is_some(), "named, not silent")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            serde_json::to_value(check_upload(&m, 100, b"hello").unwrap_err()).unwrap()["code"],
            "file_type_not_accepted"
        );
    }
}
