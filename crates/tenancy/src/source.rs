//! Turns byte spans from the TOML parser into `line:column` positions.

use std::ops::Range;

use crate::error::ConfigError;

/// The text of one config file plus the name used for it in messages.
pub(crate) struct Source<'a> {
    file: &'a str,
    text: &'a str,
    /// Byte offset of the start of every line: found once, so that locating each of
    /// thousands of tenants' fields does not rescan the text before it.
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            file,
            text,
            line_starts,
        }
    }

    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// An error located at the start of `span`.
    pub(crate) fn error(
        &self,
        span: Range<usize>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> ConfigError {
        let (line, column) = self.position(span.start);
        ConfigError {
            file: self.file.to_string(),
            line,
            column,
            field: field.into(),
            message: message.into(),
        }
    }

    /// 1-based line of byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.position(offset).0
    }

    /// 1-based line and character column of byte `offset` (clamped to the end of the text,
    /// and to a character boundary, because parser spans may point one past the end).
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        // The last line starting at or before `offset`.
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let column = self.text[self.line_starts[line - 1]..offset]
            .chars()
            .count()
            + 1;
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let source = Source::new("f", "ab\nçd = 1\n");
        assert_eq!(source.position(0), (1, 1));
        assert_eq!(source.position(3), (2, 1));
        // 'ç' is two bytes but one column.
        assert_eq!(source.position(5), (2, 2));
        assert_eq!(source.position(1000), (3, 1));
    }
}
