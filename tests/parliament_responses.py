"""Responses of the Congress.gov API and the UK Parliament treaties API, written in their documented shapes.

The Congress.gov ones follow Documentation/TreatyEndpoint.md and the OpenAPI file of
LibraryOfCongress/api.congress.gov: Treaty Doc. 117-3 (the protocols on the accession of
Finland and Sweden to the North Atlantic Treaty), whose transmittal (2022-07-11), referral
wording, Senate vote ("agreed to as amended ... Yea-Nay Vote. 95 - 1. Record Vote Number:
282.", 2022-08-03) and resolution text are the documentation's own examples. No documented
example shows a committee report's action: its date and wording below are written for the
tests, in the committees level's documented activity name ("Reported by").

The UK ones follow the treaties API's OpenAPI document (treaties-api.parliament.uk,
kept in APIs-guru/openapi-directory) with step names from Parliament's CRaG procedure map
(ukparliament/ontologies, procedure/maps/treaties/crag-treaties). No real response was
available to read: ids, dates and the treaty are written for the tests.
"""

from __future__ import annotations

import copy
import json
from typing import Any

NATO_TITLE = (
    "Protocols to the North Atlantic Treaty of 1949 on the Accession of the Republic of Finland and the Kingdom "
    "of Sweden"
)
RESOLUTION = (
    '<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head>'
    "<title>[117] TreatyRes. 6 for TreatyDoc. 117 - 3</title></head><body>"
    "<p>As approved by the Senate: </p><p><i>Resolved (two-thirds of the Senators present concurring therein),</i></p>"
    "<p></p><p><b>SECTION 1. SENATE ADVICE AND CONSENT SUBJECT TO DECLARATIONS AND CONDITIONS.</b></p>"
    "<p>The Senate advises and consents to the ratification of the Protocols to the North Atlantic Treaty of 1949 "
    "on the Accession of the Republic of Finland and the Kingdom of Sweden, which were signed on July 5, 2022, by "
    "the United States of America and other parties to the North Atlantic Treaty of 1949 (Treaty Doc. 117-3), "
    "subject to the declarations of section 2 and the condition of section 3.</p>"
    "<p><b>SEC. 3. CONDITION.</b></p><p></p><p>The advice and consent of the Senate under section 1 is subject to "
    "the following conditions</p><p>(1)Presidential Certification.-Prior to the deposit of the instrument of "
    "ratification, the President shall certify to the Senate as follows:</p></body></html>"
)
REFERRAL = (
    "Received in the Senate and referred to the Committee on Foreign Relations by unanimous consent removing the "
    "injunction of secrecy."
)
VOTE = (
    "Resolution of advice and consent to ratification agreed to as amended in Senate by Yea-Nay Vote. 95 - 1. "
    "Record Vote Number: 282."
)
REPORT = "Committee on Foreign Relations. Reported by Senator Menendez with declarations and a condition."
FOREIGN_RELATIONS = {
    "name": "Foreign Relations Committee",
    "systemCode": "ssfr00",
    "url": "https://api.congress.gov/v3/committee/senate/ssfr00?format=json",
}


def congress_item(**changes: Any) -> dict[str, Any]:
    treaty = {
        "actions": {"count": 3, "url": "https://api.congress.gov/v3/treaty/117/3/actions?format=json"},
        "congressConsidered": 117,
        "congressReceived": 117,
        "countriesParties": [{"name": "Finland"}, {"name": "Sweden"}],
        "inForceDate": "",
        "indexTerms": [{"name": "North Atlantic Treaty of 1949"}],
        "number": 3,
        "oldNumber": "",
        "oldNumberDisplayName": "",
        "parts": {},
        "relatedDocs": [],
        "resolutionText": RESOLUTION,
        "suffix": "",
        "titles": [{"title": NATO_TITLE, "titleType": "Treaty - Formal Title"}],
        "topic": "International Law and Organization",
        "transmittedDate": "2022-07-11T00:00:00Z",
        "updateDate": "2022-08-04T02:46:11Z",
    }
    treaty.update(changes)
    return {"treaty": treaty}


def congress_actions(*, report: str | None = "2022-07-27", vote: str = VOTE, voted: str = "2022-08-03") -> dict:
    actions: list[dict[str, Any]] = [
        {"actionCode": "S05291", "actionDate": voted, "committee": None, "text": vote, "type": "Floor"},
    ]
    if report:
        actions.append(
            {"actionDate": report, "committee": FOREIGN_RELATIONS, "text": REPORT, "type": "Committee"},
        )
    actions.append(
        {
            "actionCode": "S05120",
            "actionDate": "2022-07-18",
            "committee": FOREIGN_RELATIONS,
            "text": REFERRAL,
            "type": "IntroReferral",
        }
    )
    return {"actions": actions}


def dump(value: Any) -> str:
    return json.dumps(copy.deepcopy(value), indent=2)


UK_TREATY_ID = "Tx7Kq2Lm"
UK_TITLE = "Agreement between the United Kingdom and Testland on Scientific Cooperation"


def uk_treaty(**changes: Any) -> dict[str, Any]:
    value = {
        "commandPaperNumber": 1234,
        "commandPaperPrefix": "CP",
        "commonsLayingDate": None,
        "countrySeriesItemCitation": "Testland No. 1 (2026)",
        "countrySeriesMembership": None,
        "debateScheduled": None,
        "europeanSeriesItemCitation": None,
        "europeanUnionSeriesMembership": None,
        "id": UK_TREATY_ID,
        "layingBodyDepartment": {"id": 1, "name": "Foreign, Commonwealth and Development Office"},
        "layingBodyDepartmentId": 1,
        "layingBodyName": "Foreign, Commonwealth and Development Office",
        "leadDepartment": {"id": 1, "name": "Foreign, Commonwealth and Development Office"},
        "leadGovernmentOrganisationDepartmentId": 1,
        "leadGovernmentOrganisationGroupName": None,
        "lordsLayingDate": None,
        "miscSeriesItemCitation": None,
        "miscellaneousSeriesMembership": None,
        "name": UK_TITLE,
        "parliamentaryConclusion": "NotConcluded",
        "treatySeriesMembership": None,
        "uri": None,
        "webLink": f"https://treaties.parliament.uk/treaty/{UK_TREATY_ID}",
    }
    value.update(changes)
    return {"links": [], "value": value}


def uk_item(number: int, day: str, step: str, *houses: str) -> dict[str, Any]:
    names = {"Commons": "House of Commons", "Lords": "House of Lords"}
    return {
        "links": [],
        "value": {
            "businessItemUri": None,
            "houseId": None,
            "houseName": None,
            "houseUri": None,
            "houses": [{"house": house, "name": names[house]} for house in houses],
            "id": f"bi{number:04d}",
            "itemDate": f"{day}T00:00:00",
            "link": None,
            "procedureStepId": None,
            "procedureStepUri": None,
            "sequence": number,
            "stepName": step,
            "treatyId": UK_TREATY_ID,
            "treatyUri": None,
            "workpackageProcedureUri": None,
        },
    }


def uk_items(*items: dict[str, Any]) -> dict[str, Any]:
    return {"items": list(items), "itemsPerPage": 20, "links": [], "totalResults": len(items)}
