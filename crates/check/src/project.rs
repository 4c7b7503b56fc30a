//! A rendered project folder, loaded as data.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not valid YAML: {message}")]
    Parse { path: PathBuf, message: String },
}

/// `Pulumi.yaml` and the program file (Main.json, else Main.yaml, else Pulumi.yaml, as
/// Pulumi itself picks), parsed, plus the folder for resolving file archives.
#[derive(Debug, Clone)]
pub struct Project {
    pub dir: PathBuf,
    pub project_file: Value,
    pub program: Value,
}

impl Project {
    pub fn load(dir: &Path) -> Result<Project, ProjectError> {
        let project_file = read_yaml(&dir.join("Pulumi.yaml"))?;
        let program = ["Main.json", "Main.yaml"]
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.exists())
            .map(|path| read_yaml(&path))
            .transpose()?
            .unwrap_or_else(|| project_file.clone());
        Ok(Project {
            dir: dir.to_path_buf(),
            project_file,
            program,
        })
    }

    /// The `resources:` map of the program (empty if absent).
    pub fn resources(&self) -> Map<String, Value> {
        self.program
            .get("resources")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    }
}

fn read_yaml(path: &Path) -> Result<Value, ProjectError> {
    let text = std::fs::read_to_string(path).map_err(|source| ProjectError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_norway::from_str(&text).map_err(|e| ProjectError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}
