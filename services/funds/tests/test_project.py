"""A granted application as the public projects list shows it: one fold of its history, the
one the `projects` table's hook and its fill from the log both use."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from wushe_events.catalogue.funds import (
    ApplicationApproved,
    ApplicationRejected,
    ApplicationSubmitted,
    MidtermEvaluated,
    ProjectCompleted,
)
from wushe_funds.domain.project import ProjectState, project_of

APPLICATION, NEED = uuid4(), uuid4()
SUBMITTED = datetime(2026, 11, 28, 8, tzinfo=UTC)
APPROVED = SUBMITTED + timedelta(days=7)
SUBMISSION = ApplicationSubmitted(
    application_id=APPLICATION,
    round_id=uuid4(),
    team_id=uuid4(),
    community_id="fengshan",
    title="银龄互助",
    requested_fen=150_000,
    theme="elderly-care",
    need_ids=[NEED],
)
APPROVAL = ApplicationApproved(application_id=APPLICATION, approved_fen=120_000)


def test_an_application_never_approved_is_no_project():
    assert project_of([(SUBMISSION, SUBMITTED)]) is None
    rejected = ApplicationRejected(application_id=APPLICATION, reason="off-theme")
    assert project_of([(SUBMISSION, SUBMITTED), (rejected, APPROVED)]) is None


def test_an_approved_one_is_under_way_from_its_approval():
    granted = project_of([(SUBMISSION, SUBMITTED), (APPROVAL, APPROVED)])
    assert granted is not None
    assert (granted.state, granted.approved_at, granted.approved_fen) == (
        ProjectState.under_way,
        APPROVED,
        120_000,
    )
    assert (granted.title, granted.need_ids, granted.outcomes) == ("银龄互助", (NEED,), None)


def test_a_failed_evaluation_suspends_it_and_its_completion_records_its_outcomes():
    failed = MidtermEvaluated(application_id=APPLICATION, passed=False, evaluator_id=uuid4())
    history = [(SUBMISSION, SUBMITTED), (APPROVAL, APPROVED), (failed, APPROVED)]
    assert getattr(project_of(history), "state", None) is ProjectState.suspended
    done = ProjectCompleted(application_id=APPLICATION, beneficiaries=36, activities=0)
    completed = project_of([*history, (done, APPROVED)])
    assert completed is not None
    assert completed.state is ProjectState.completed
    assert completed.outcomes == {"beneficiaries": 36, "activities": 0}


def test_a_running_project_without_an_update_for_three_months_is_due_one():
    failed = MidtermEvaluated(application_id=APPLICATION, passed=False, evaluator_id=uuid4())
    later = APPROVED + timedelta(days=40)
    history = [(SUBMISSION, SUBMITTED), (APPROVAL, APPROVED), (failed, later)]
    suspended = project_of(history)
    assert suspended is not None
    assert suspended.updated_at == later
    assert not suspended.update_due(later + timedelta(days=89, hours=23))
    assert suspended.update_due(later + timedelta(days=90))
    done = ProjectCompleted(application_id=APPLICATION, beneficiaries=36, activities=0)
    completed = project_of([*history, (done, later)])
    assert completed is not None
    assert not completed.update_due(later + timedelta(days=365))
