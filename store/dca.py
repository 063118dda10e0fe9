"""Delivery confidence: the IPA's five-point assessment, as published for GMPP reporting.

The definitions are the Infrastructure and Projects Authority's (Annual Report on Major Projects,
Open Government Licence); the chooser and help show them as they are written.
"""
from store.validate import DCAS

DEFINITIONS = {
    "Green": "Successful delivery of the project on time, budget and quality appears highly likely and "
             "there are no major outstanding issues that at this stage appear to threaten delivery "
             "significantly.",
    "Amber/Green": "Successful delivery appears probable; however, constant attention will be needed to "
                   "ensure risks do not materialise into major issues threatening delivery.",
    "Amber": "Successful delivery appears feasible but significant issues already exist, requiring "
             "management attention. These appear resolvable at this stage and, if addressed promptly, "
             "should not present a cost/schedule overrun.",
    "Amber/Red": "Successful delivery of the project is in doubt, with major risks or issues apparent in "
                 "a number of key areas. Urgent action is needed to address these problems and/or assess "
                 "whether resolution is feasible.",
    "Red": "Successful delivery of the project appears to be unachievable. There are major issues with "
           "project definition, schedule, budget, quality and/or benefits delivery, which at this stage "
           "do not appear to be manageable or resolvable. The project may need re-scoping and/or its "
           "overall viability re-assessed.",
}
assert tuple(DEFINITIONS) == DCAS

# The letters a narrow column shows: AG and AR keep the two halves apart.
SHORT = {"Green": "G", "Amber/Green": "AG", "Amber": "A", "Amber/Red": "AR", "Red": "R"}
