"""Learner progress: what is saved, where, and how it survives crashes and concurrent tutors.

Pure domain code (no UI imports). The UI and the commands use:

    store, issue = open_profile(save_dir, profile)   # never raises for a bad save file
    store.record_attempt(...) / record_verdict(...) / record_hint(...) / record_reveal(...)
    store.set_draft(...) / set_position(...) / set_setting(...)
    store.recover_from_backup() / start_fresh()      # when `issue` is not None
    store.refresh()                                  # pick up another tutor's writes
    store.close()                                    # on quit: takes a backup if anything changed
    record_check(save_dir, profile, exercise, part_key, answer, verdict)   # for `tutor check`
    list_profiles(save_dir)                          # for `tutor profiles`
"""

from tutor.progress.errors import (
    BackupInfo,
    FutureVersionError,
    LoadIssue,
    ProfileBusy,
    ProfileNameError,
    ProgressError,
    ReadOnlyProfile,
    SaveFileError,
    SchemaError,
)
from tutor.progress.model import (
    STATUSES,
    Attempt,
    ExerciseProgress,
    LessonPosition,
    Profile,
    Totals,
    changed_since_solved,
    merge_profiles,
    totals,
)
from tutor.progress.report import CourseReport, course_report
from tutor.progress.schema import CURRENT_VERSION
from tutor.progress.listing import ProfileInfo, list_profiles
from tutor.progress.store import (
    DEFAULT_PROFILE,
    MergeSummary,
    ProgressStore,
    open_profile,
    record_check,
    validate_profile_name,
)

__all__ = [
    "CURRENT_VERSION",
    "DEFAULT_PROFILE",
    "STATUSES",
    "Attempt",
    "BackupInfo",
    "CourseReport",
    "ExerciseProgress",
    "FutureVersionError",
    "LessonPosition",
    "LoadIssue",
    "MergeSummary",
    "Profile",
    "ProfileBusy",
    "ProfileInfo",
    "ProfileNameError",
    "ProgressError",
    "ProgressStore",
    "ReadOnlyProfile",
    "SaveFileError",
    "SchemaError",
    "Totals",
    "changed_since_solved",
    "course_report",
    "list_profiles",
    "merge_profiles",
    "open_profile",
    "record_check",
    "totals",
    "validate_profile_name",
]
