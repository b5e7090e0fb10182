// Package figure gives every pointwise figure the same look and writes it out.
//
// A notebook builds its panels with [NewPlot] and the Add helpers, collects
// them in a [Figure] together with the [Table] of the plotted numbers, and calls
// [Figure.Publish]. Publish writes <id>.png, <id>.svg and <id>.csv (and
// <id>_<name>.csv for further tables) into [OutDir], each through a temporary
// file and a rename so that no half-written file is ever left behind, and shows
// the PNG inline when the program runs under the GoNB kernel.
//
// The CSV files are the contract between a figure and its readers: tidy
// tables, one row per plotted point, a header row, and numbers written with
// the shortest representation that reads back to the same float64.
//
// [Table.AppendColumns] fills a table from a curve's columns and
// [RecordTable] from rows that write themselves ([Recorder]); [Eval],
// [AtLeast] and [Log10] turn a function or an error into plotted values, and
// [Strip] draws point sets as rows of markers.
//
// [ImageGrid] lays out pictures with captions (test images and their
// adversarial examples), each made from pixel values by [Gray]. [Explorer]
// redraws a plot, drawn by [Figure.PNG], in place as GoNB widgets move;
// [Options] labels its menus.
//
// [Checks] records the claims a figure must show (the paper's), prints
// each as PASS or FAIL in words and writes them as <id>_checks.csv.
//
// This is the only pointwise package that imports GoNB: the rest of lib stays
// usable from plain Go programs and tests. Outside a notebook the display calls
// are no-ops.
package figure
