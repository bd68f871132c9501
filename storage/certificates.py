"""Certificates for finished series, verifiable by their code."""

from __future__ import annotations

from datetime import datetime

from domain.records import Certificate
from storage.driver import Driver, record

ISSUE = (
    "INSERT INTO certificates (code, user_id, series_id, language, name, issued_at) "
    "VALUES (:code, :u, :series, :lang, :name, :now) "
    "ON CONFLICT (user_id, series_id) DO NOTHING RETURNING *"
)
OF_SERIES = "SELECT * FROM certificates WHERE user_id = :u AND series_id = :series"
BY_CODE = "SELECT * FROM certificates WHERE code = :code"
OF_USER = "SELECT * FROM certificates WHERE user_id = :u ORDER BY issued_at, code"
RENAME = "UPDATE certificates SET name = :name WHERE code = :code AND user_id = :u RETURNING *"


class CertificateStore:
    db: Driver

    async def issue_certificate(
        self, code: str, user_id: int, series_id: str, language: str, name: str, now: datetime
    ) -> Certificate:
        """The learner's certificate for the series: issued now under ``code``, or the one
        issued before (one per series; its code and name stay)."""
        rows = await self.db.write(
            ISSUE, code=code, u=user_id, series=series_id, lang=language, name=name, now=now
        )
        if rows:
            return record(Certificate, rows[0])
        found = await self.certificate_of(user_id, series_id)
        assert found is not None
        return found

    async def certificate_of(self, user_id: int, series_id: str) -> Certificate | None:
        row = await self.db.fetchrow(OF_SERIES, u=user_id, series=series_id)
        return None if row is None else record(Certificate, row)

    async def certificate(self, code: str) -> Certificate | None:
        """The certificate with this exact code (normalized by the caller)."""
        row = await self.db.fetchrow(BY_CODE, code=code)
        return None if row is None else record(Certificate, row)

    async def certificates(self, user_id: int) -> list[Certificate]:
        """The learner's certificates, oldest first."""
        return [record(Certificate, row) for row in await self.db.fetch(OF_USER, u=user_id)]

    async def rename_certificate(self, code: str, user_id: int, name: str) -> Certificate | None:
        """The name printed on the learner's own certificate changed; its code kept."""
        rows = await self.db.write(RENAME, code=code, u=user_id, name=name)
        return record(Certificate, rows[0]) if rows else None
