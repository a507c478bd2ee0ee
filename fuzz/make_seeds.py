#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs into seeds/<target>/seed-*: small, valid examples of
each kind of outside input (and a few broken ones), so fuzzing starts from the real formats.
Run once; `make fuzz` grows fuzz/corpus/<target>/ from them."""
import base64, io, json, os, struct, subprocess, tempfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

def put(target, name, data):
    d = os.path.join(HERE, "seeds", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

def status(code):
    return struct.pack("<H", code - 100)

def xlsx(rows):
    """A minimal XLSX (inline strings) with `rows` on its first sheet."""
    def cell(r, c, v):
        ref = chr(ord("A") + c) + str(r + 1)
        if isinstance(v, (int, float)):
            return f'<c r="{ref}"><v>{v}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
    sheet = "".join(f'<row r="{r+1}">' + "".join(cell(r, c, v) for c, v in enumerate(row)) + "</row>" for r, row in enumerate(rows))
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet}</sheetData></worksheet>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in files.items():
            z.writestr(k, v)
    return buf.getvalue()

CSV, TSV, TXT, XLSX = b"\x00", b"\x01", b"\x02", b"\x03"

# Grade reports: Open edX course and problem reports, encodings and delimiters, XLSX, broken lines.
course = "Student ID,Email,Username,Grade,Enrollment Track,Certificate Eligible\n7,ann@example.edu,ann,0.91,verified,Y\n8,bo@example.edu,bo+x,0.4,audit,N\n"
put("grade_report", "course.csv", CSV + course.encode())
put("grade_report", "course-bom.csv", CSV + b"\xef\xbb\xbf" + course.encode())
put("grade_report", "problem-semicolon-1252.csv", CSV + "Student ID;Email;Username;Enrollment Status;Grade;Quiz (Earned)\n1;z\u00e9@example.edu;z\u00e9;enrolled;0,5;1\n".encode("cp1252"))
put("grade_report", "custom.tsv", TSV + b"username\tscore\nann\t=1+1\n\"bo\"\"\t\"x\n")
put("grade_report", "broken-quote.csv", CSV + b'Username,Grade\n"ann,0.9\nbo,0.1\n')
put("grade_report", "course.xlsx", XLSX + xlsx([["Student ID", "Email", "Username", "Grade"], [7, "ann@example.edu", "ann", 0.91]]))

# Id lists.
put("id_file", "usernames.csv", CSV + b"username\nann\nbo+x\n\n")
put("id_file", "remote-ids.txt", TXT + b"remote_id\nstudent-1@example.edu\n")
put("id_file", "bare.csv", CSV + b"ann\nbo\n")
put("id_file", "ids.xlsx", XLSX + xlsx([["username"], ["ann"], ["bo"]]))

# Mapping API answers.
put("mapping_answer", "current.json", status(200) + json.dumps({"next": "https://lms.example.edu/api/third_party_auth/v0/providers/saml-x/users?page=2", "previous": None, "count": 150, "num_pages": 2, "current_page": 1, "start": 0, "results": [{"username": "ann", "remote_id": "a1"}]}).encode())
put("mapping_answer", "legacy.json", status(200) + json.dumps({"page": 1, "page_size": 100, "count": 1, "results": [{"username": "ann", "remote_id": "a1"}]}).encode())
put("mapping_answer", "403.json", status(403) + b'{"detail": "You do not have permission to perform this action."}')
put("mapping_answer", "404.html", status(404) + b"<!DOCTYPE html><html><body>Not Found</body></html>")

# Token answers.
def b64(d):
    return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
jwt = b64({"alg": "RS256"}) + "." + b64({"exp": 1900000000, "scopes": ["read", "user_id"], "filters": ["user:me"], "is_restricted": False}) + ".c2ln"
put("token_answer", "jwt.json", json.dumps({"access_token": jwt, "token_type": "JWT", "expires_in": "3600", "scope": "read"}))
put("token_answer", "bearer.json", json.dumps({"access_token": "abc123", "token_type": "Bearer", "expires_in": 36000}))
put("token_answer", "jwt.txt", jwt)

# OpenLearning answers.
put("openlearning_answer", "users.json", status(200) + json.dumps({"data": [{"user": {"id": "u1", "full_name": "Ann", "email": "ann@example.edu"}, "external_institution_id": "s1"}]}).encode())
put("openlearning_answer", "sign-on.json", status(200) + json.dumps({"url": "https://www.openlearning.com/sso/launch/", "params": {"oauth_consumer_key": "k", "oauth_signature": "s", "user_id": "u1"}}).encode())
put("openlearning_answer", "401.json", status(401) + b'{"meta": {"status": 401, "error": "Invalid API key"}}')

# OOAPI answers and problem bodies.
association = {"associationId": "123e4567-e89b-12d3-a456-426614174000", "associationType": "courseOfferingAssociation", "role": "student", "state": "pending", "remoteState": "pending", "message": [{"language": "en-GB", "value": "Received"}], "person": {"personId": "p1"}, "offering": {"offeringId": "o1", "primaryCode": {"codeType": "offeringCode", "code": "C1"}}}
put("ooapi_answer", "association.json", status(200) + json.dumps(association).encode())
put("ooapi_answer", "problem-v5.json", status(400) + json.dumps({"status": "400", "title": "Bad Request", "detail": "remoteState is required"}).encode())
put("ooapi_answer", "problem-v6.json", status(403) + json.dumps({"type": "about:blank", "status": 403, "title": "Forbidden"}).encode())
put("ooapi_answer", "receiver.json", status(409) + json.dumps({"error": "Conflict", "reference": 12, "message": "Enrollment not found.", "details": json.dumps({"status": "404", "title": "Not Found"})}).encode())

# Connections export files.
export = {"crosswalk_profiles": 1, "profiles": [
    {"name": "LMS", "settings": {"kind": "openedx", "base_url": "https://lms.example.edu", "client_id": "crosswalk", "token_type": "jwt", "client_auth": "basic", "providers": ["saml-x"]}},
    {"name": "OL", "settings": {"kind": "openlearning", "base_url": "https://api.openlearning.com/v2.1/", "institution_id": "inst", "api_key_style": "header"}},
]}
put("profile_import", "export.json", json.dumps(export, indent=2))
put("profile_import", "newer.json", json.dumps({"crosswalk_profiles": 2, "profiles": []}))

# A server certificate (DER).
with tempfile.TemporaryDirectory() as t:
    key, der = os.path.join(t, "k.pem"), os.path.join(t, "c.der")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                    "-subj", "/CN=lms.example.edu", "-days", "90", "-outform", "DER", "-out", der], check=True, capture_output=True)
    put("certificate", "ec.der", open(der, "rb").read())
