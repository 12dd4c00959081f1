"""The gradient-descent playground's domain: the `gd` exercise kind and the free playground.

    objective.py  what is minimised: an answer-language expression, or a named data set
    simulate.py   GD, momentum and Adam in NumPy; stops on non-finite values or |w| > 1e6
    setup.py      a gd block read into a Setup (start, optimizer, steps, choices, goal)
    judge.py      a learner's setting read, simulated and judged, with feedback from the run
    exercise.py   the kind's block problems, self-check and headless check (`tutor.kinds`)
    figure.py     the interactive figure: the path over the objective and the measure per step

Importing the package is free: NumPy and SymPy load with the modules that need them.
"""
