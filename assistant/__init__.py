"""The assistant: understands requests, decides in code, writes and checks answers.

The fund advisor, the campaign planner, the compliance checker and the model backends arrive with their issues;
this package exists now so the layout, the imports and the packaging are settled.
"""

__all__: list[str] = []
