"""One builder of the sandbox's EmployeeDetail record, for seeded employees and those created by POST /Employees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ats_tempworks_sandbox.money import Money
from ats_tempworks_sandbox.seeded import SENTINEL_DATE

if TYPE_CHECKING:
    from ats_tempworks_sandbox.tenant import Branch, ServiceRep

__all__ = ["build_employee_detail"]


def build_employee_detail(
    *,
    employee_id: int,
    employee_guid: str,
    first_name: Any,
    middle_name: str | None,
    last_name: Any,
    id_last_four: str,
    branch: Branch,
    rep: ServiceRep,
    is_active: bool,
    activation_date: str,
    deactivation_date: str,
    is_assigned: bool,
    resume_document_id: int | None,
    resume_file_name: str | None,
    is_i9_on_file: bool,
    job_title: str | None,
    phone: Any,
    phone_calling_code: Any,
    email: Any,
    birthday: str | None,
    address: dict[str, Any],
) -> dict[str, Any]:
    """An EmployeeDetail from what differs per employee; the tenant's constants fill the rest.

    `address` holds street1, street2, municipality, region, postalCode, country and countryCode, in that order.
    """
    return {
        "employeeId": employee_id,
        "employeeGuid": employee_guid,
        "firstName": first_name,
        "middleName": middle_name,
        "lastName": last_name,
        "alias": None,
        "namePrefix": None,
        "nameSuffix": None,
        "governmentPersonalId": f"***-**-{id_last_four}",
        "governmentPersonalIdIsScrubbed": True,
        "branchId": branch.branch_id,
        "branch": branch.name,
        "hierTypeId": 1,
        "hierType": "Branch",
        "isActive": is_active,
        "activationDate": activation_date,
        "deactivationDate": deactivation_date,
        "isAssigned": is_assigned,
        "employeeStatusId": "A" if is_active else "I",
        "employeeStatus": "Eligible and Active" if is_active else "Inactive",
        "resumeDocumentId": resume_document_id,
        "resumeFileName": resume_file_name,
        "isI9OnFile": is_i9_on_file,
        "i9ExpirationDate": SENTINEL_DATE,
        "jobTitle": job_title,
        "note": None,
        "numericRating": Money(0.0),
        "serviceRepId": rep.sr_ident,
        "serviceRep": rep.full_name,
        "serviceRepChatName": rep.first_name.lower(),
        "serviceRepEmail": rep.email,
        "createdByServiceRepId": rep.sr_ident,
        "createdByServiceRep": rep.full_name,
        "companyId": 1,
        "company": "Sandbox Staffing",
        "companyIsVendor": False,
        "alternateEmployeeId": None,
        "employerId": 1,
        "employer": "Sandbox Staffing LLC",
        "driverLicenseNumber": None,
        "driverLicenseState": None,
        "driverLicenseClass": None,
        "driverLicenseExpire": SENTINEL_DATE,
        "primaryPhoneNumber": phone,
        "primaryPhoneNumberContactMethodId": 3 * employee_id if phone else None,
        "primaryPhoneNumberContactMethodTypeId": 1,
        "primaryPhoneNumberContactMethodType": "Phone",
        "primaryPhoneNumberCountryCallingCode": phone_calling_code,
        "primaryEmailAddress": email,
        "primaryEmailAddressContactMethodId": 3 * employee_id + 1 if email else None,
        "primaryEmailAddressContactMethodTypeId": 4,
        "primaryEmailAddressContactMethodType": "Email",
        "birthday": birthday,
        "address": {**address, "attentionTo": None, "location": None, "dateAddressStandardized": SENTINEL_DATE},
    }
