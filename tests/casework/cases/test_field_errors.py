"""FieldErrors: the one error type for input that cannot be accepted, and the classes that name
what was refused."""

from __future__ import annotations

import pytest
from flask_babel import lazy_gettext as _l

from casework.cases.categories import CategoryError
from casework.cases.errors import FieldErrors, FollowUpError, IntakeError
from casework.general import followup, intake, notices
from casework.general import workflow as general_workflow
from casework.staff import accounts
from casework.tipline import categories, custody, filing, messages, referral, transfer
from casework.tipline import workflow as tip_workflow

REFUSALS = [
    IntakeError,
    FollowUpError,
    general_workflow.WorkflowError,
    tip_workflow.WorkflowError,
    accounts.StaffError,
    custody.CustodyError,
    transfer.TransferError,
    referral.ReferralError,
    notices.NoticeUnavailable,
    CategoryError,
]


def test_fields_message_and_status():
    error = FieldErrors({"subject": _l("Give the complaint a short subject.")})
    assert error.fields == {"subject": "Give the complaint a short subject."}
    assert type(error.fields["subject"]) is str  # lazy texts are rendered when raised
    assert (error.message, error.status) == ("Some fields are not valid.", 400)
    assert isinstance(error, ValueError)


def test_a_message_alone_and_another_status():
    error = FieldErrors(message="No report matches that receipt.", status=404)
    assert (error.fields, error.message, error.status) == ({}, error.message, 404)
    assert str(error) == "No report matches that receipt."
    assert FieldErrors().status == 400  # the instance's status does not change the class's


def test_str_names_each_field_for_logs_and_the_command_line():
    error = FieldErrors({"email": "Enter an email address.", "role": "Choose a role."})
    assert str(error) == "email: Enter an email address.; role: Choose a role."


def test_the_caller_does_not_share_the_fields_dict():
    given = {"code": "Taken."}
    error = FieldErrors(given)
    error.fields["other"] = "x"
    assert given == {"code": "Taken."}


@pytest.mark.parametrize("cls", REFUSALS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_refusal_is_a_field_error_with_the_one_fields_implementation(cls):
    assert issubclass(cls, FieldErrors)
    assert "__init__" not in vars(cls) and "__str__" not in vars(cls)
    error = cls({"field": "message"})
    assert error.fields == {"field": "message"} and error.message


def test_a_letter_that_cannot_be_printed_is_not_found():
    assert notices.NoticeUnavailable({"kind": "x"}).status == 404


def test_both_channels_raise_the_same_classes():
    assert filing.IntakeError is intake.IntakeError is IntakeError
    assert messages.FollowUpError is followup.FollowUpError is FollowUpError
    assert categories.CategoryError is CategoryError
