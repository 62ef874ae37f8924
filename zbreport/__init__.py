"""zbreport: assemble 政府信息公开工作年度报告 from Markdown and YAML into an official-format .docx."""
