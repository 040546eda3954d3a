"""Paths, methods, envelopes and record shapes as the reference describes them."""

from __future__ import annotations

from typing import Any

import pytest

EMPLOYEE_LIST_FIELDS = {
    "employeeId", "firstName", "lastName", "branch", "phoneNumber", "cellPhoneNumber", "emailAddress", "isActive",
    "isAssigned", "lastMessage", "postalCode", "municipality", "hasResumeOnFile", "governmentPersonalId", "serviceRep",
}  # fmt: skip
EMPLOYEE_DETAIL_FIELDS = {
    "employeeId", "employeeGuid", "firstName", "middleName", "lastName", "alias", "namePrefix", "nameSuffix",
    "governmentPersonalId", "governmentPersonalIdIsScrubbed", "branchId", "branch", "hierTypeId", "hierType",
    "isActive", "activationDate", "deactivationDate", "isAssigned", "employeeStatusId", "employeeStatus",
    "resumeDocumentId", "resumeFileName", "isI9OnFile", "i9ExpirationDate", "jobTitle", "note", "numericRating",
    "serviceRepId", "serviceRep", "serviceRepChatName", "serviceRepEmail", "createdByServiceRep",
    "createdByServiceRepId", "companyId", "company", "companyIsVendor", "alternateEmployeeId", "employerId",
    "employer", "driverLicenseNumber", "driverLicenseState", "driverLicenseClass", "driverLicenseExpire",
    "primaryPhoneNumber", "primaryPhoneNumberContactMethodId", "primaryPhoneNumberContactMethodTypeId",
    "primaryPhoneNumberContactMethodType", "primaryPhoneNumberCountryCallingCode", "primaryEmailAddress",
    "primaryEmailAddressContactMethodId", "primaryEmailAddressContactMethodTypeId",
    "primaryEmailAddressContactMethodType", "birthday", "address",
}  # fmt: skip
ADDRESS_FIELDS = {
    "street1", "street2", "municipality", "region", "postalCode", "country", "countryCode", "attentionTo",
    "location", "dateAddressStandardized",
}  # fmt: skip
JOB_ORDER_LIST_FIELDS = {
    "orderId", "customerId", "customerName", "departmentName", "jobTitle", "orderType", "payRate", "billRate",
    "startDate", "orderStatus", "positionsRequired", "positionsFilled", "workSiteId", "worksite", "isActive",
    "branchId", "branchName", "serviceRepId", "serviceRep",
}  # fmt: skip
JOB_ORDER_DETAIL_FIELDS = {
    "jobOrderId", "branchId", "branch", "jobOrderTypeId", "jobOrderType", "jobTitleId", "jobTitle",
    "jobDescription", "payRate", "billRate", "jobOrderStatusId", "jobOrderStatus", "isActive", "positionsRequired",
    "positionsFilled", "customerId", "customerName", "departmentName", "jobOrderDurationId", "jobOrderDuration",
    "dateOrderTaken", "startDate", "supervisorContactId", "supervisorFirstName", "supervisorLastName",
    "supervisorOfficePhone", "supervisorEmailAddress", "doNotAutoClose", "usesTimeClock", "usesPeopleNet", "notes",
    "alternateJobOrderId", "dressCode", "safetyNotes", "directions", "serviceRepId", "serviceRep", "salesTeamId",
    "salesTeam", "publicJobTitle", "publicJobDescription", "publicPostingDate", "doNotPostPublicly",
    "publicEducationSummary", "publicExperienceSummary", "showPayRate", "showWorksiteAddress",
    "isDirectHireJobOrder", "remoteWorkStatusId", "remoteWorkStatus", "localizedJobOrderDetails",
}  # fmt: skip
ASSIGNMENT_FIELDS = {
    "assignmentId", "employeeId", "firstName", "lastName", "middleName", "employeePrimaryEmailAddress",
    "employeePrimaryPhoneNumber", "customerId", "customerName", "departmentName", "jobOrderId", "jobTitle",
    "payRate", "billRate", "startDate", "endDate", "originalStartDate", "expectedEndDate", "branchId", "branchName",
    "isActive", "isDeleted", "supervisorId", "supervisor", "supervisorContactInfo", "activeStatus",
    "assignmentStatusId", "assignmentStatus", "performanceNote", "isTimeclockOrder", "serviceRep", "dateCreated",
    "assignmentRootGuid", "employeeRootGuid",
}  # fmt: skip
DOCUMENT_FIELDS = {
    "documentId", "documentDate", "description", "fileType", "documentTypeId", "documentType", "documentName",
    "fileName", "canBeDeleted", "canBeEdited",
}  # fmt: skip
CUSTOM_DATA_FIELDS = {
    "propertyDefinitionId", "propertyName", "propertyValue", "propertyValueId", "propertyType", "categoryId",
    "categoryName", "isActive", "isRequired", "isReadOnly", "allowMultipleValues", "hasDatalist",
}  # fmt: skip
MESSAGE_ACTION_FIELDS = {
    "actionId", "action", "actionDescription", "isDefault", "isEmployeeRelevant", "isCustomerRelevant",
    "isContactRelevant", "isDeact", "isReact", "isAvailability", "isDefaultDeactCode", "isDefaultReactCode",
    "isDefaultEmailCode", "isDefaultLMTC", "isActive", "isDoNotAssign", "messageActionTypeId", "messageActionType",
    "displayColor", "canRead", "canWrite",
}  # fmt: skip


def _first_employee(sandbox: Any) -> dict[str, Any]:
    return dict(sandbox.get("/Search/Employees", params={"skip": 0, "take": 1}).json()["data"][0])


@pytest.mark.parametrize("path", ["/Search/Employees", "/search/employees", "/SEARCH/EMPLOYEES", "/Search/Employees/"])
def test_paths_are_case_insensitive(sandbox: Any, path: str) -> None:
    response = sandbox.get(path, params={"skip": 0, "take": 5})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"data", "totalCount"}
    assert body["totalCount"] == 500 and len(body["data"]) == 5


def test_employee_shapes_carry_reference_field_names(sandbox: Any) -> None:
    item = _first_employee(sandbox)
    assert set(item) == EMPLOYEE_LIST_FIELDS
    detail = sandbox.get(f"/Employees/{item['employeeId']}").json()
    assert set(detail) == EMPLOYEE_DETAIL_FIELDS
    assert set(detail["address"]) == ADDRESS_FIELDS
    assert "dateModified" not in detail
    status = sandbox.get(f"/employees/{item['employeeId']}/status").json()
    assert {"employeeStatusId", "employeeStatus", "isWashed", "wotcEligibilityStatusId"} <= set(status)


def test_job_order_and_assignment_shapes(sandbox: Any) -> None:
    order = sandbox.get("/Search/JobOrders", params={"take": 1}).json()["data"][0]
    assert set(order) == JOB_ORDER_LIST_FIELDS
    detail = sandbox.get(f"/JobOrders/{order['orderId']}").json()
    assert set(detail) == JOB_ORDER_DETAIL_FIELDS
    worksite = sandbox.get(f"/JobOrders/{order['orderId']}/Worksite").json()
    assert worksite["worksiteId"] == order["workSiteId"]
    assignment = sandbox.get("/Search/Assignments", params={"take": 1}).json()["data"][0]
    assert set(assignment) == ASSIGNMENT_FIELDS
    assert sandbox.get(f"/Assignments/{assignment['assignmentId']}").json() == assignment
    of_employee = sandbox.get(f"/Employees/{assignment['employeeId']}/assignments", params={"take": 10}).json()
    assert of_employee["data"] == [assignment] and of_employee["totalCount"] == 1


def test_documents_custom_data_and_data_lists(sandbox: Any) -> None:
    employee_id = _first_employee(sandbox)["employeeId"]
    documents = sandbox.get(f"/Employees/{employee_id}/Documents", params={"skip": 0, "take": 10}).json()
    assert set(documents) == {"data", "totalCount"}
    for document in documents["data"]:
        assert set(document) == DOCUMENT_FIELDS
    custom = sandbox.get(f"/Employees/{employee_id}/CustomData").json()
    assert custom["totalCount"] == len(custom["data"]) > 0
    assert all(set(item) == CUSTOM_DATA_FIELDS for item in custom["data"])
    actions = sandbox.get("/DataLists/messageActions", params={"active": "true"}).json()
    assert actions["totalCount"] == len(actions["data"]) > 0
    assert all(set(a) == MESSAGE_ACTION_FIELDS and a["isActive"] for a in actions["data"])
    types = sandbox.get("/DataLists/documentTypes").json()["data"]
    assert "Resume" in {t["documentType"] for t in types}
    definitions = sandbox.get("/CustomData/1/definitions").json()["data"]
    assert {d["propertyDefinitionId"] for d in definitions} == {c["propertyDefinitionId"] for c in custom["data"]}


def test_message_action_ids_are_tenant_specific(make_sandbox: Any) -> None:
    ids = {}
    for seed in (7, 8):
        actions = make_sandbox(size=10, seed=seed).get("/DataLists/messageActions").json()["data"]
        ids[seed] = [a["actionId"] for a in actions]
        assert ids[seed] != list(range(1, len(ids[seed]) + 1))
    assert ids[7] != ids[8]


def test_unknown_ids_and_paths_are_404_problems(sandbox: Any) -> None:
    for path in ("/Employees/1", "/JobOrders/1", "/Assignments/1", "/Employees/1/Documents/5", "/Nope"):
        response = sandbox.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == 404


def test_take_above_the_cap_is_a_400_problem(sandbox: Any) -> None:
    from ats_tempworks_sandbox import MAX_TAKE

    response = sandbox.get("/Search/Employees", params={"skip": 0, "take": MAX_TAKE + 1})
    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400 and "take" in problem["errors"]
    assert sandbox.get("/Search/Employees", params={"take": MAX_TAKE}).status_code == 200
    assert sandbox.get("/Search/Employees", params={"take": "many"}).status_code == 400


def test_universal_search_finds_by_email_and_phone(sandbox: Any) -> None:
    item = _first_employee(sandbox)
    by_email = sandbox.get("/Search/UniversalEmail", params={"emailAddress": item["emailAddress"].upper()}).json()
    hits = by_email["employees"]["results"]["result"]
    assert [h["employeeId"] for h in hits] == [str(item["employeeId"])]
    assert by_email["customers"] == {"results": {"result": []}}
    by_phone = sandbox.get("/Search/UniversalPhone", params={"phone": item["phoneNumber"]}).json()
    assert [h["employeeId"] for h in by_phone["employees"]["results"]["result"]] == [str(item["employeeId"])]
    miss = sandbox.get("/Search/UniversalEmail", params={"emailAddress": "nobody@example.com"}).json()
    assert miss["employees"]["results"]["result"] == []


def test_assignments_link_existing_employees_and_job_orders(sandbox: Any) -> None:
    assignments = sandbox.get("/Search/Assignments", params={"take": 30}).json()["data"]
    for assignment in assignments:
        employee = sandbox.get(f"/Employees/{assignment['employeeId']}").json()
        assert (employee["firstName"], employee["lastName"]) == (assignment["firstName"], assignment["lastName"])
        assert employee["primaryEmailAddress"] == assignment["employeePrimaryEmailAddress"]
        order = sandbox.get(f"/JobOrders/{assignment['jobOrderId']}").json()
        assert (order["jobTitle"], order["customerId"], order["branchId"]) == (
            assignment["jobTitle"],
            assignment["customerId"],
            assignment["branchId"],
        )
        listed = sandbox.get(f"/Employees/{assignment['employeeId']}/assignments").json()["data"]
        assert assignment["assignmentId"] in [a["assignmentId"] for a in listed]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/Employees"),
        ("POST", "/Employees/{id}/messages"),
        ("PUT", "/Employees/{id}/CustomData"),
        ("POST", "/search/1"),
    ],
)
def test_json_bodies_need_a_json_content_type(sandbox: Any, method: str, path: str) -> None:
    """Like an ASP.NET [FromBody] action: a JSON text sent as text/plain or a form is a 415, not accepted."""
    employee_id = sandbox.get("/Search/Employees", params={"skip": 0, "take": 1}).json()["data"][0]["employeeId"]
    url = path.format(id=employee_id)
    headers = sandbox.bearer()
    as_text = sandbox.http.request(method, url, content=b"{}", headers={**headers, "Content-Type": "text/plain"})
    as_form = sandbox.http.request(method, url, data={"firstName": "A"}, headers=headers)
    for response in (as_text, as_form):
        assert response.status_code == 415, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    assert sandbox.state.stats()["writes"] == {}


@pytest.mark.parametrize(
    ("property_type", "value"), [("decimal", True), ("decimal", "ten"), ("string", {"a": 1}), ("date", "soon")]
)
def test_custom_values_of_the_wrong_type_are_400(sandbox: Any, property_type: str, value: Any) -> None:
    employee_id = sandbox.get("/Search/Employees", params={"skip": 0, "take": 1}).json()["data"][0]["employeeId"]
    definitions = sandbox.get("/CustomData/1/definitions").json()["data"]
    target = next(d for d in definitions if d["propertyType"] == property_type and not d["isReadOnly"])
    body = [{"propertyDefinitionId": target["propertyDefinitionId"], "propertyValue": value}]
    response = sandbox.put(f"/Employees/{employee_id}/CustomData", json=body)
    assert response.status_code == 400 and "[0].propertyValue" in response.json()["errors"]
    assert sandbox.state.stats()["writes"] == {}
