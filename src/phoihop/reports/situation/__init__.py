"""Báo cáo tình hình dư luận xã hội: the Propaganda Department's monthly (or on-demand)
public-opinion situation report, drafted from the period's signals and issues: the top
matters by volume and growth with their channels and places, what was answered or rebutted
and what is still open, and proposals. Staff then edit it paragraph by paragraph.

`matters` reads the period's matters (what counts where: its docstring); `report` writes
the document from them.
"""

from phoihop.reports.situation.matters import Matter, matters, rising_matters
from phoihop.reports.situation.report import on_demand_period, situation_report

__all__ = ["Matter", "matters", "on_demand_period", "rising_matters", "situation_report"]
