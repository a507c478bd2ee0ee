//! Just enough DER (X.690) to read when a server's certificate stops being valid (RFC 5280
//! §4.1.2.5), for the endpoint check's "certificate expires soon" warning. Anything it cannot read
//! gives `None`, never a panic: the input comes from a server.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// One TLV: `(tag, content, rest)`.
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *input.first()?;
    let first = *input.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = input.get(2..2 + n)?;
        (bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b)), 2 + n)
    };
    let end = header.checked_add(len)?;
    Some((tag, input.get(header..end)?, input.get(end..)?))
}

/// The `notAfter` of a DER certificate.
pub fn not_after(der: &[u8]) -> Option<DateTime<Utc>> {
    let (0x30, cert, _) = tlv(der)? else { return None };
    let (0x30, tbs, _) = tlv(cert)? else { return None };
    let mut rest = tbs;
    let (tag, _, after) = tlv(rest)?;
    if tag == 0xa0 {
        rest = after; // explicit version
    }
    let (0x02, _, rest) = tlv(rest)? else { return None }; // serialNumber
    let (0x30, _, rest) = tlv(rest)? else { return None }; // signature
    let (0x30, _, rest) = tlv(rest)? else { return None }; // issuer
    let (0x30, validity, _) = tlv(rest)? else { return None };
    let (_, _, validity) = tlv(validity)?; // notBefore
    let (tag, time, _) = tlv(validity)?;
    parse_time(tag, std::str::from_utf8(time).ok()?)
}

/// UTCTime (`YYMMDDHHMMSSZ`, years 1950–2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`).
fn parse_time(tag: u8, s: &str) -> Option<DateTime<Utc>> {
    let s = s.strip_suffix('Z')?;
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (year, rest) = match (tag, s.len()) {
        (0x17, 12) => {
            let yy: i32 = s[..2].parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &s[2..])
        }
        (0x18, 14) => (s[..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    let n = |i: usize| rest.get(i..i + 2).and_then(|p| p.parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(year, n(0)?, n(2)?)?;
    let time = date.and_hms_opt(n(4)?, n(6)?, n(8)?)?;
    Some(Utc.from_utc_datetime(&time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    /// A self-signed certificate made with `openssl req -x509 -days 3650` (notAfter
    /// Dec 2 23:40:40 2036 GMT).
    const CERT: &str = "MIIBhDCCASugAwIBAgIUOLB8i2YTuDabL5J/Dep8dAAe+dMwCgYIKoZIzj0EAwIwGDEWMBQGA1UEAwwNY2hlY2suZXhhbXBsZTAeFw0yNjEyMDUyMzQwNDBaFw0zNjEyMDIyMzQwNDBaMBgxFjAUBgNVBAMMDWNoZWNrLmV4YW1wbGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATDJBtJhqgX92oclCbiN8+MB2sQbzwNhsjBsTCKNkpWLHCCP82sam21ksRjLMFibZ3b4bVdpJ/40UfBMjdm0fqto1MwUTAdBgNVHQ4EFgQUV7cn9SVVOjnidPmwVWXg89cSTNowHwYDVR0jBBgwFoAUV7cn9SVVOjnidPmwVWXg89cSTNowDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiAfbtZZzdlO0iMttnw+BQPk+TIgXq29GJpO5k3QOSQcZwIgdoW+SlmIlID+FZCMw01HzvFfb/nBqnt7kbSZDZW71Qk=";

    #[test]
    fn reads_the_end_of_validity_of_a_real_certificate() {
        let der = base64::engine::general_purpose::STANDARD.decode(CERT).unwrap();
        assert_eq!(not_after(&der).unwrap().to_rfc3339(), "2036-12-02T23:40:40+00:00");
    }

    #[test]
    fn anything_cut_or_garbled_gives_none() {
        let der = base64::engine::general_purpose::STANDARD.decode(CERT).unwrap();
        for end in 0..der.len() {
            // Cut anywhere before the validity ends: no answer, no panic.
            let _ = not_after(&der[..end]);
        }
        assert_eq!(not_after(&[]), None);
        assert_eq!(not_after(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
        assert_eq!(parse_time(0x17, "491231235959Z").unwrap().to_rfc3339(), "2049-12-31T23:59:59+00:00");
        assert_eq!(parse_time(0x17, "500101000000Z").unwrap().to_rfc3339(), "1950-01-01T00:00:00+00:00");
        assert_eq!(parse_time(0x18, "20361302000000Z"), None, "month 13");
    }
}
