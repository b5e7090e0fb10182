"""An nbgrader export plugin that writes one row per graded cell.

nbgrader's own CSV export (nbgrader export) has one row per assignment and
student. This one has one per graded cell, with the cell's grade id (the
notebooks' id: tags), so a grade can be traced to the check that gave it:

    nbgrader export --exporter=cellgrades.CellGradesExportPlugin --to grades-cells.csv

Columns: assignment, notebook, student_id, grade_id, score, max_score; rows in
the order of assignment, notebook, student and grade id. nbgrader imports it
from the folder it runs in: `make classroom` copies it into the course folder.
"""
import csv

from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin


class CellGradesExportPlugin(ExportPlugin):
    """Exports the score of every graded cell of every submission."""

    def export(self, gradebook):
        dest = self.to or "grades-cells.csv"
        students = [str(s) for s in self.student]
        assignments = [str(a) for a in self.assignment]
        self.log.info("Exporting the grades of every graded cell to %s", dest)
        rows = []
        for assignment in gradebook.assignments:
            if assignments and assignment.name not in assignments:
                continue
            for notebook in assignment.notebooks:
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    try:
                        submitted = gradebook.find_submission_notebook(
                            notebook.name, assignment.name, student.id)
                    except MissingEntry:
                        continue
                    for grade in submitted.grades:
                        rows.append([assignment.name, notebook.name, student.id, grade.name,
                                     "%g" % grade.score, "%g" % grade.max_score])
        rows.sort(key=lambda r: r[:4])
        with open(dest, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["assignment", "notebook", "student_id", "grade_id", "score", "max_score"])
            w.writerows(rows)
